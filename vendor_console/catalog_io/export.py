"""Export the live catalog as Square CSV, Shopify CSV (2024+ headers) or native JSONL.

Each is what the importer reads back: importing an export into an empty shop and exporting
again gives the same file. Square and Shopify files carry what those formats can hold; the
native JSONL carries every field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, select

from local_db.tables import locations, products, stock_levels, tax_rates
from vendor_console.catalog_io import native
from vendor_console.catalog_io.values import show_percent, show_quantity
from vendor_console.money import minor_digits
from vendor_console.services.catalog_records import ProductRecord, VariantDetails, load_product

FORMATS = ("square", "shopify", "jsonl")
SHOPIFY_HEADERS = [
    "Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags",
    "Published on online store", "Status", "SKU", "Barcode", "Option1 name", "Option1 value",
    "Option2 name", "Option2 value", "Option3 name", "Option3 value", "Price",
    "Compare-at price", "Cost per item", "Inventory tracker", "Inventory quantity",
    "Continue selling when out of stock", "Weight value (grams)",
]
SQUARE_HEADERS = [
    "Reference Handle", "Token", "Item Name", "Variation Name", "SKU", "Description",
    "Categories", "GTIN", "Square Online Item Visibility", "Item Type", "Weight (kg)", "Price",
    "Online Sale Price", "Archived", "Sellable", "Stockable", "Option Name 1", "Option Value 1",
    "Option Name 2", "Option Value 2", "Option Name 3", "Option Value 3", "Default Unit Cost",
]


@dataclass(frozen=True, slots=True)
class ExportContext:
    currency: str
    digits: int
    locations: list[tuple[str, str]]  # (id, name), the default first
    levels: dict[tuple[str, str], int]
    tax_codes: dict[str, str]  # id -> code
    taxes: list[tuple[str, str, int]]  # (id, name, rate_bp), for Square's tax columns


def _context(conn: Connection, currency: str) -> ExportContext:
    rows = conn.execute(select(locations.c.id, locations.c.name, locations.c.is_default)
                        .where(locations.c.archived_at.is_(None))
                        .order_by(locations.c.is_default.desc(), locations.c.name)).all()
    levels = {(v, loc): q for v, loc, q in conn.execute(
        select(stock_levels.c.variant_id, stock_levels.c.location_id, stock_levels.c.on_hand))}
    rates = conn.execute(select(tax_rates.c.id, tax_rates.c.code, tax_rates.c.name,
                                tax_rates.c.rate_bp).order_by(tax_rates.c.rate_bp,
                                                              tax_rates.c.code)).all()
    return ExportContext(currency, minor_digits(currency), [(r[0], r[1]) for r in rows], levels,
                         {r.id: r.code for r in rates},
                         [(r.id, r.name, r.rate_bp) for r in rates])


def live_products(conn: Connection) -> Iterator[ProductRecord]:
    ids = conn.execute(select(products.c.id).where(products.c.archived_at.is_(None))
                       .order_by(products.c.name, products.c.id)).scalars().all()
    for pid in ids:
        yield load_product(conn, pid)


def money(amount: int | None, digits: int) -> str:
    if amount is None:
        return ""
    return f"{Decimal(amount).scaleb(-digits):.{digits}f}"


def _handles(records: list[ProductRecord]) -> dict[str, str]:
    seen: dict[str, int] = {}
    handles = {}
    for p in records:
        base = re.sub(r"[^a-z0-9]+", "-", p.name.casefold()).strip("-") or "product"
        seen[base] = seen.get(base, 0) + 1
        handles[p.id] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return handles


def _options(v: VariantDetails) -> list[str]:
    cells: list[str] = []
    for name, value in list(v.options.items())[:3]:
        cells += [name, value]
    return cells + [""] * (6 - len(cells))


def shopify_rows(records: list[ProductRecord], ctx: ExportContext) -> Iterator[list[str]]:
    handles = _handles(records)
    default = ctx.locations[0][0] if ctx.locations else ""
    for p in records:
        for i, v in enumerate(p.variants):
            if v.options:
                options = _options(v)
            elif v.name:  # Shopify has no variant names: the name becomes the option
                options = ["Variant", v.name, "", "", "", ""]
            else:
                options = ["Title", "Default Title", "", "", "", ""]
            product = [p.name, handles[p.id], p.description or "", "", "", p.category_name or "",
                       ", ".join(p.dietary_tags), "TRUE" if p.visibility == "VISIBLE" else "FALSE",
                       "active"] if i == 0 else ["", handles[p.id]] + [""] * 7
            if i:  # option names are on the product's first row only
                options = ["", options[1], "", options[3], "", options[5]]
            stock = show_quantity(ctx.levels.get((v.id, default), 0)) if v.track_inventory else ""
            yield [*product, v.sku or "", v.barcode or "", *options, money(v.price, ctx.digits),
                   money(v.compare_at_price, ctx.digits), money(v.cost, ctx.digits),
                   "shopify" if v.track_inventory else "", stock,
                   "CONTINUE" if v.inventory_policy == "CONTINUE" else "DENY",
                   "" if p.weight_g is None else str(p.weight_g)]


def square_rows(records: list[ProductRecord], ctx: ExportContext) -> Iterator[list[str]]:
    handles = _handles(records)
    for p in records:
        visibility = ("hidden" if p.visibility == "HIDDEN" else
                      "unavailable" if p.availability == "SOLD_OUT" else "visible")
        weight = "" if p.weight_g is None else show_quantity(p.weight_g)  # grams -> kg text
        for v in p.variants:
            price, sale = ((v.compare_at_price, v.price) if v.compare_at_price is not None
                           else (v.price, None))
            row = ["#" + handles[p.id], "", p.name, v.name or "Regular", v.sku or "",
                   p.description or "", p.category_name or "", v.barcode or "", visibility,
                   "Physical", weight, money(price, ctx.digits), money(sale, ctx.digits), "N",
                   "Y", "Y" if v.track_inventory else "N", *_options(v),
                   money(v.cost, ctx.digits)]
            row += ["Y" if v.tax_rate_id == tid else "N" for tid, _n, _bp in ctx.taxes]
            for location_id, _name in ctx.locations:
                level = show_quantity(ctx.levels.get((v.id, location_id), 0))
                threshold = v.low_stock_threshold
                tracked = v.track_inventory
                row += ["Y", level if tracked else "", level if tracked else "",
                        "Y" if threshold is not None else "N",
                        "" if threshold is None else show_quantity(threshold)]
            yield row


def square_headers(ctx: ExportContext) -> list[str]:
    headers = list(SQUARE_HEADERS)
    headers += [f"Tax - {name} ({show_percent(bp)}%)" for _id, name, bp in ctx.taxes]
    for _id, name in ctx.locations:
        headers += [f"Enabled {name}", f"Current Quantity {name}", f"New Quantity {name}",
                    f"Stock Alert Enabled {name}", f"Stock Alert Count {name}"]
    return headers


def native_item(p: ProductRecord, ctx: ExportContext) -> dict[str, object]:
    item: dict[str, object] = {k: getattr(p, k) for k in native.PRODUCT_KEYS}
    item["dietary_tags"] = list(p.dietary_tags)
    item["client_ref"] = p.client_ref
    item["category"] = p.category_name
    item["variants"] = [{
        **{k: getattr(v, k) for k in native.VARIANT_KEYS}, "client_ref": v.client_ref,
        "tax_code": ctx.tax_codes.get(v.tax_rate_id) if v.tax_rate_id else None,
        # Every location for a tracked variant (0 where no stock was ever recorded).
        "on_hand": {name: show_quantity(ctx.levels.get((v.id, lid), 0))
                    for lid, name in ctx.locations} if v.track_inventory else {},
    } for v in p.variants]
    return item


def export_catalog(conn: Connection, fmt: str, target: Path, currency: str) -> int:
    """Write the catalog to ``target`` (replaced atomically); returns the product count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    ctx = _context(conn, currency)
    records = list(live_products(conn))
    if fmt == "jsonl":
        data = native.header_line(currency) + b"".join(
            native.product_line(native_item(p, ctx)) for p in records)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if fmt == "shopify":
            writer.writerow(SHOPIFY_HEADERS)
            writer.writerows(shopify_rows(records, ctx))
        else:
            writer.writerow(square_headers(ctx))
            writer.writerows(square_rows(records, ctx))
        data = buffer.getvalue().encode("utf-8")
    temporary = target.with_name(target.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(target)
    return len(records)
