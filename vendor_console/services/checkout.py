"""Completing a counter sale: validate, price, take payment, and commit it all at once.

One ``db.write`` transaction writes the sale, its lines, taxes and tenders, the cash movement
on the open shift, the stock movements, the outbox row for the marketplace and any audit
entries; if anything is wrong, nothing is written. The hot path uses Core statements: one
query for all the cart's variants and one ``executemany`` per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from local_db.database import Database
from local_db.rawsql import fetch_all, fetch_one
from local_db.tables import sales
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import NotFound
from vendor_console.ids import new_id
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit, outbox, stock_ledger
from vendor_console.services.pricing import (
    CASH,
    Cart,
    Tender,
    Totals,
    VariantSnapshot,
    is_cash_only,
    price_cart,
    settle_tenders,
)
from vendor_console.services.receipt_numbers import next_receipt_number
from vendor_console.services.sale_records import (
    SaleLineRecord,
    SaleRecord,
    TaxRecord,
    api_payload,
    insert_sale,
    load_sale,
)
from vendor_console.services.shifts import default_location_id, record_cash, require_open_shift


@dataclass(frozen=True, slots=True)
class ShopTerms:
    """The shop settings a sale depends on."""

    currency: str
    locale: str
    prices_include_tax: bool
    cash_rounding: int
    device_prefix: str


# These reads run inside every sale's write: plain SQL on the DB-API fast path.
_SHOP_TERMS = "SELECT currency, locale, prices_include_tax, cash_rounding, device_prefix FROM shop"
_VARIANTS = (
    "SELECT v.id, p.name, v.name, v.sku, v.unit, v.precision, v.price, t.rate_bp, "
    "v.track_inventory, v.archived_at, p.archived_at FROM variants v "
    "JOIN products p ON p.id = v.product_id LEFT JOIN tax_rates t ON t.id = v.tax_rate_id "
    "WHERE v.id IN ({marks})"
)
_SALE_EXISTS = "SELECT 1 FROM sales WHERE id = ?"


def shop_terms(conn: Connection) -> ShopTerms:
    row = fetch_one(conn, _SHOP_TERMS)
    if row is None:
        raise NotFound("This till has no shop yet; finish the shop setup first.")
    currency, locale, prices_include_tax, cash_rounding, device_prefix = row
    return ShopTerms(currency, locale, bool(prices_include_tax), max(1, cash_rounding),
                     device_prefix)


def variant_snapshots(conn: Connection, ids: Sequence[str]) -> dict[str, VariantSnapshot]:
    """The cart's variants in one query; raises ``NotFound`` for missing or archived ones."""
    wanted = sorted(set(ids))
    rows = fetch_all(conn, _VARIANTS.format(marks=", ".join("?" * len(wanted))), wanted)
    found = {}
    for (vid, product_name, variant_name, sku, unit, precision, price, rate_bp, tracked,
         archived, product_archived) in rows:
        name = f"{product_name} – {variant_name}" if variant_name else product_name
        if archived is not None or product_archived is not None:
            raise NotFound(f"{name} was removed from the catalog; take it off the sale.")
        found[vid] = VariantSnapshot(vid, name, sku, unit, precision, price, rate_bp or 0,
                                     bool(tracked))
    if len(found) < len(set(ids)):
        raise NotFound("An item in the cart is no longer in the catalog; take it off the sale.")
    return found


class CheckoutService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def quote(self, cart: Cart, *, cash_only: bool = False) -> Totals:
        """The totals ``complete_sale`` would charge (cash rounding applies to cash only)."""
        with self._db.read() as conn:
            terms = shop_terms(conn)
            snapshots = variant_snapshots(conn, [line.variant_id for line in cart.lines])
        return price_cart(cart, snapshots, prices_include_tax=terms.prices_include_tax,
                          cash_rounding=terms.cash_rounding if cash_only else 1)

    def complete_sale(
        self, actor: Actor, cart: Cart, tenders: Sequence[Tender], *,
        approver: Actor | None = None, location_id: str | None = None,
        sale_id: str | None = None,
    ) -> SaleRecord:
        """Commit a paid sale. Passing the same ``sale_id`` again returns the first result."""
        require(actor, Permission.SELL)
        tenders = tuple(tenders)
        return self._db.write(
            lambda tx: self._complete(tx, actor, cart, tenders, approver=approver,
                                      location_id=location_id, sale_id=sale_id or new_id())
        )

    def get_sale(self, sale_id: str) -> SaleRecord:
        with self._db.read() as conn:
            record = load_sale(conn, sale_id)
        if record is None:
            raise NotFound("That sale was not found.")
        return record

    def find_by_receipt(self, receipt_number: str) -> SaleRecord | None:
        with self._db.read() as conn:
            sale_id = conn.execute(
                select(sales.c.id).where(sales.c.receipt_number == receipt_number.strip())
            ).scalar()
            return None if sale_id is None else load_sale(conn, sale_id)

    def _complete(
        self, tx: Tx, actor: Actor, cart: Cart, tenders: tuple[Tender, ...], *,
        approver: Actor | None, location_id: str | None, sale_id: str,
    ) -> SaleRecord:
        conn = tx.conn
        if fetch_one(conn, _SALE_EXISTS, (sale_id,)) is not None:
            existing = load_sale(conn, sale_id)  # a retry of a sale already committed
            assert existing is not None
            return existing
        terms = shop_terms(conn)
        location = location_id or default_location_id(conn)
        shift = require_open_shift(conn, location)
        snapshots = variant_snapshots(conn, [line.variant_id for line in cart.lines])
        totals = price_cart(cart, snapshots, prices_include_tax=terms.prices_include_tax,
                            cash_rounding=terms.cash_rounding if is_cash_only(tenders) else 1)
        overridden = [p for p in totals.lines if p.overridden]
        over_limit = [p for p in totals.lines if p.discount_over(actor.discount_limit_bp)]
        override_by = require(actor, Permission.PRICE_OVERRIDE, approver) if overridden else None
        discount_by = (require(actor, Permission.DISCOUNT_OVER_LIMIT, approver)
                       if over_limit else None)
        paid = settle_tenders(totals.total, tenders, currency=terms.currency, locale=terms.locale)
        approved_by = override_by or discount_by
        now = utc_now()
        record = SaleRecord(
            sale_id, next_receipt_number(tx, terms.device_prefix), "SALE", None, shift.id,
            actor.staff_id, location, terms.currency, terms.prices_include_tax,
            totals.subtotal, totals.discount_total, totals.tax_total, totals.rounding,
            totals.total, cart.note,
            approved_by.staff_id if approved_by else None, now,
            tuple(
                SaleLineRecord(
                    new_id(), p.line_no, p.variant.id, None, p.variant.name, p.variant.sku,
                    p.variant.unit, p.variant.precision, p.quantity, p.unit_price,
                    p.variant.price, p.discount, p.variant.tax_rate_bp, p.tax, p.total, p.note,
                    0, p.quantity,
                )
                for p in totals.lines
            ),
            paid,
            tuple(TaxRecord(rate, net, tax) for rate, (net, tax) in sorted(totals.taxes.items())),
        )
        insert_sale(tx, record)
        cash = sum(t.amount for t in paid if t.kind == CASH)
        if cash:
            record_cash(tx, shift.id, actor, "SALE", cash, sale_id=sale_id)
        stock_ledger.record(tx, [
            stock_ledger.Movement(p.variant.id, location, "sold_pos", delta=-p.quantity,
                                  reference_type="sale", reference_id=sale_id, occurred_at=now)
            for p in totals.lines if p.variant.track_inventory
        ], staff_id=actor.staff_id)
        outbox.enqueue(tx, "sale", sale_id, "create", api_payload(record))
        if overridden:
            audit.append(tx, "price_override", staff_id=actor.staff_id,
                         approved_by=override_by.staff_id if override_by else None,
                         entity_type="sale", entity_id=sale_id, details={"lines": [
                             {"line_no": p.line_no, "variant_id": p.variant.id,
                              "list_price": p.variant.price, "unit_price": p.unit_price}
                             for p in overridden]})
        if over_limit:
            audit.append(tx, "discount_over_limit", staff_id=actor.staff_id,
                         approved_by=discount_by.staff_id if discount_by else None,
                         entity_type="sale", entity_id=sale_id, details={
                             "limit_bp": actor.discount_limit_bp, "lines": [
                                 {"line_no": p.line_no, "variant_id": p.variant.id,
                                  "gross": p.gross, "discount": p.discount}
                                 for p in over_limit]})
        return record
