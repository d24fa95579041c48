"""Everything the counter screen calls, over one database: the UI holds this, never the db.

Each method is synchronous (the UI runs it on a worker) and returns plain records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from local_db.database import Database
from vendor_console.permissions import Actor
from vendor_console.receipts import ReceiptDocument, receipt_for_sale
from vendor_console.services import counter_lookup, line_voids
from vendor_console.services.catalog import CatalogService
from vendor_console.services.checkout import (
    CheckoutService,
    ShopTerms,
    shop_terms,
    variant_snapshots,
)
from vendor_console.services.counter_lookup import ScanResult, TileItem
from vendor_console.services.parked_sales import ParkedSalesService
from vendor_console.services.pricing import VariantSnapshot
from vendor_console.services.refunds import RefundService
from vendor_console.services.shifts import ShiftService
from vendor_console.services.staff import StaffService
from vendor_console.services.tenders import TenderService
from vendor_console.settings import IDLE_LOCK_SECONDS, Settings


class CoreLike(Protocol):
    """What the counter needs of ``vendor_console.core.AppCore``."""

    db: Database
    settings: Settings
    signed_in: Actor | None


@dataclass(frozen=True)
class CounterServices:
    db: Database = field(repr=False)
    settings: Settings
    checkout: CheckoutService
    refunds: RefundService
    shifts: ShiftService
    staff: StaffService
    catalog: CatalogService
    parked: ParkedSalesService
    tenders: TenderService

    @classmethod
    def over(cls, db: Database, settings: Settings | None = None) -> CounterServices:
        settings = settings or Settings(db)
        return cls(db, settings, CheckoutService(db), RefundService(db),
                   ShiftService(db), StaffService(db), CatalogService(db),
                   ParkedSalesService(db), TenderService(db, settings))

    def shop_terms(self) -> ShopTerms:
        with self.db.read() as conn:
            return shop_terms(conn)

    def idle_lock_seconds(self) -> int:
        return self.settings.get(IDLE_LOCK_SECONDS)

    def lookup_code(self, code: str) -> ScanResult:
        return counter_lookup.lookup_code(self.db, code)

    def snapshot(self, variant_id: str) -> VariantSnapshot:
        return counter_lookup.snapshot(self.db, variant_id)

    def snapshots(self, variant_ids: Sequence[str]) -> dict[str, VariantSnapshot]:
        """Raises ``NotFound`` if an item was removed from the catalog."""
        with self.db.read() as conn:
            return variant_snapshots(conn, variant_ids)

    def category_items(self, category_id: str) -> list[TileItem]:
        return counter_lookup.category_items(self.db, category_id)

    def void_line(self, actor: Actor, *, variant_id: str, name: str, quantity: int,
                  amount: int, approver: Actor | None = None) -> None:
        line_voids.void_line(self.db, actor, variant_id=variant_id, name=name,
                             quantity=quantity, amount=amount, approver=approver)

    def receipt(self, sale_id: str) -> ReceiptDocument:
        return receipt_for_sale(self.db, sale_id)
