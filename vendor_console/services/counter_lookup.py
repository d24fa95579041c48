"""Reads the counter screen needs: what a scanned code is, and the items behind a tile.

A scan is a product barcode (or SKU) or a receipt number (the receipt's own barcode, for a
refund). Both are indexed lookups. Tiles list a category's items, bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from local_db.database import Database
from local_db.lookups import VariantRecord
from local_db.tables import products, variants
from vendor_console.errors import DomainError
from vendor_console.services.catalog import CatalogService
from vendor_console.services.checkout import CheckoutService, variant_snapshots
from vendor_console.services.pricing import VariantSnapshot
from vendor_console.services.sale_records import SaleRecord

TILE_LIMIT = 48


@dataclass(frozen=True, slots=True)
class ScanResult:
    code: str
    item: VariantSnapshot | None = None
    receipt: SaleRecord | None = None
    archived_name: str | None = None  # the code belongs to an item no longer sold


@dataclass(frozen=True, slots=True)
class TileItem:
    variant_id: str
    name: str
    price: int


def snapshot_of(record: VariantRecord) -> VariantSnapshot:
    return VariantSnapshot(record.variant_id, record.display_name, record.sku, record.unit,
                           record.precision, record.price, record.tax_rate_bp or 0,
                           record.track_inventory, record.archived)


def lookup_code(db: Database, code: str) -> ScanResult:
    """A product for ``code`` (barcode, then SKU), else the sale with that receipt number."""
    code = code.strip()
    catalog = CatalogService(db)
    try:
        record = catalog.find_by_barcode(code)
    except DomainError:
        record = None  # not a valid GTIN: may still be a SKU or a receipt number
    record = record or catalog.find_by_sku(code)
    if record is not None and not record.archived:
        return ScanResult(code, item=snapshot_of(record))
    receipt = CheckoutService(db).find_by_receipt(code)
    if receipt is not None:
        return ScanResult(code, receipt=receipt)
    return ScanResult(code, archived_name=record.display_name if record else None)


def snapshot(db: Database, variant_id: str) -> VariantSnapshot:
    with db.read() as conn:
        return variant_snapshots(conn, [variant_id])[variant_id]


def category_items(db: Database, category_id: str, limit: int = TILE_LIMIT) -> list[TileItem]:
    """A category's live products (first variant of each), alphabetically."""
    query = (
        select(variants.c.id, products.c.name, variants.c.name.label("variant"),
               variants.c.price)
        .join(products, products.c.id == variants.c.product_id)
        .where(products.c.category_id == category_id, products.c.archived_at.is_(None),
               variants.c.archived_at.is_(None))
        .order_by(products.c.name, variants.c.position).limit(limit)
    )
    with db.read() as conn:
        return [TileItem(r.id, f"{r.name} – {r.variant}" if r.variant else r.name, r.price)
                for r in conn.execute(query)]
