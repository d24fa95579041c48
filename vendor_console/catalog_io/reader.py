"""Open any supported catalog file and hand it to the reader for its dialect."""

from __future__ import annotations

from pathlib import Path

from vendor_console.catalog_io.model import ParsedFile
from vendor_console.catalog_io.native import looks_native, read_native
from vendor_console.catalog_io.shopify import is_shopify_products, read_shopify
from vendor_console.catalog_io.shopify_inventory import inventory_layout, read_inventory
from vendor_console.catalog_io.square import is_square, read_square
from vendor_console.catalog_io.table import ImportFileError, read_table
from vendor_console.money import minor_digits

DIALECT_NAMES = {
    "square": "Square item library",
    "shopify_legacy": "Shopify product CSV (legacy headers)",
    "shopify_2024": "Shopify product CSV (2024+ headers)",
    "shopify_inventory_old": "Shopify inventory CSV (a column per location)",
    "shopify_inventory_2023": "Shopify inventory CSV (2023)",
    "shopify_inventory_2024": "Shopify inventory CSV (2024+)",
    "native": "Vendor Console catalog (JSONL)",
}


def read_catalog_file(path: Path, currency: str) -> ParsedFile:
    """Sniff the dialect from the header row and read the file; ``ImportFileError`` for a
    file that is not a catalog we know (nothing is changed)."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"There is no file {path}.")
    if looks_native(path):
        return read_native(path, currency)
    table = read_table(path)
    digits = minor_digits(currency)
    if is_square(table):
        return read_square(table, digits)
    if is_shopify_products(table):
        return read_shopify(table, digits)
    layout = inventory_layout(table)
    if layout is not None:
        return read_inventory(table, layout)
    shown = ", ".join(table.headers[:6]) + ("…" if len(table.headers) > 6 else "")
    raise ImportFileError(
        f"{path.name} is not a catalog export we know. Its header row ({shown}) lacks the "
        "required columns: Token and Item Name (Square), Handle with Variant Price or Body "
        "(HTML) (Shopify, legacy), URL handle with Price (Shopify 2024+), or Handle with "
        "Location and On hand (Shopify inventory). Nothing was changed.")
