"""Everything the Catalog and Inventory pages call, over one database (the UI never holds it).

Each method is synchronous and runs on a worker, except ``terms`` (one indexed row) and
``subscribe``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from sqlalchemy import select

from local_db.database import Database
from local_db.tables import tax_rates
from local_db.writer import ChangeSet
from vendor_console.permissions import Actor
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_bulk import CatalogBulkService
from vendor_console.services.catalog_records import CategoryRecord
from vendor_console.services.catalog_table import CatalogTableReads
from vendor_console.services.checkout import ShopTerms, shop_terms
from vendor_console.services.in_house_codes import InHouseCodes
from vendor_console.services.inventory import InventoryService, StockChange
from vendor_console.services.product_images import ProductImageService
from vendor_console.services.stock_counts import StockCountService
from vendor_console.services.stock_totals import set_total


@dataclass(frozen=True, slots=True)
class TaxRateChoice:
    id: str
    name: str
    rate_bp: int


@dataclass(frozen=True, slots=True)
class EditorChoices:
    categories: list[CategoryRecord]
    tax_rates: list[TaxRateChoice]


class CatalogConsole:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.reads = CatalogTableReads(db)
        self.catalog = CatalogService(db)
        self.bulk = CatalogBulkService(db)
        self.inventory = InventoryService(db)
        self.counts = StockCountService(db)
        self.codes = InHouseCodes(db)
        # The data folder keeps images/ beside shop.db (vendor_console.paths.DataPaths).
        self.images = ProductImageService(db, db.path.parent / "images")

    @cached_property
    def terms(self) -> ShopTerms:
        with self.db.read() as conn:  # one row by primary key: fine on the GUI thread
            return shop_terms(conn)

    def subscribe(self, callback: Callable[[ChangeSet], None]) -> None:
        """``callback`` runs on the writer thread after each commit."""
        self.db.subscribe(callback)

    def editor_choices(self) -> EditorChoices:
        with self.db.read() as conn:
            rates = [TaxRateChoice(*r) for r in conn.execute(
                select(tax_rates.c.id, tax_rates.c.name, tax_rates.c.rate_bp)
                .where(tax_rates.c.archived_at.is_(None)).order_by(tax_rates.c.rate_bp))]
        return EditorChoices(self.catalog.list_categories(), rates)

    def set_low_stock_threshold(self, actor: Actor, product_id: str, variant_id: str,
                                threshold: int | None) -> None:
        product = self.catalog.get_product(product_id)
        draft = product.to_draft()
        draft = replace(draft, variants=[
            replace(v, low_stock_threshold=threshold) if v.id == variant_id else v
            for v in draft.variants])
        self.catalog.update_product(actor, product_id, draft)

    def set_stock_total(self, actor: Actor, variant_id: str, total: int) -> StockChange:
        return set_total(self.db, actor, variant_id, total)
