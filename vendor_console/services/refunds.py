"""Refunds: a new document of kind REFUND that references the original sale and its lines.

Sign convention: amounts on a refund document are stored **positive**, exactly like a sale;
``kind = "REFUND"`` says the money went back to the customer. Only the signed ledgers carry a
sign: the cash movement is negative (cash leaves the drawer) and a restocked item's stock
movement is positive (reason ``returned``).

A partial refund gets its proportional part of the original line's discount, tax and total.
Parts are taken cumulatively (what all refunds so far should have returned, minus what they
did), so refunding a line in several goes returns exactly what was paid for it. Nothing can be
refunded twice: the already-refunded quantity is checked inside the write transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from local_db.database import Database
from local_db.tables import variants
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console import money
from vendor_console.errors import InvalidQuantity, NotFound, RefundExceedsSale, ValidationError
from vendor_console.ids import new_id
from vendor_console.permissions import Actor, Permission, require
from vendor_console.quantities import QTY_SCALE, format_quantity
from vendor_console.services import audit, outbox, stock_ledger
from vendor_console.services.checkout import shop_terms
from vendor_console.services.pricing import CASH, Tender, is_cash_only, settle_tenders
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
class RefundLine:
    original_line_id: str
    quantity: int  # scaled by QTY_SCALE


@dataclass(frozen=True, slots=True)
class RefundQuote:
    lines: tuple[SaleLineRecord, ...]
    subtotal: int
    discount_total: int
    tax_total: int
    taxes: tuple[TaxRecord, ...]
    rounding: int
    total: int


def _part(amount: int, before: int, after: int, quantity: int) -> int:
    """The share of ``amount`` for refunded quantity going from ``before`` to ``after``."""
    return (money.div_half_up(amount * after, quantity)
            - money.div_half_up(amount * before, quantity))


def _price_refund(original: SaleRecord, requested: Sequence[RefundLine],
                  cash_rounding: int) -> RefundQuote:
    if original.kind != "SALE":
        raise ValidationError("A refund cannot itself be refunded.")
    wanted: dict[str, int] = {}
    for r in requested:
        wanted[r.original_line_id] = wanted.get(r.original_line_id, 0) + r.quantity
    if not wanted:
        raise ValidationError("Choose what to refund.")
    by_id = {ln.id: ln for ln in original.lines}
    lines: list[SaleLineRecord] = []
    taxes: dict[int, tuple[int, int]] = {}
    for line_id, qty in wanted.items():
        ln = by_id.get(line_id)
        if ln is None:
            raise NotFound(f"That line is not on receipt {original.receipt_number}.")
        if qty <= 0 or qty % (QTY_SCALE // 10**ln.precision):
            raise InvalidQuantity(f"Refund a valid quantity of {ln.name}.", field="quantity")
        if qty > ln.refundable_quantity:
            left = format_quantity(ln.refundable_quantity, ln.precision)
            raise RefundExceedsSale(
                f"Only {left} {ln.unit} of {ln.name} can still be refunded "
                f"from receipt {original.receipt_number}.", field="quantity")
        before, after = ln.refunded_quantity, ln.refunded_quantity + qty
        total = _part(ln.total, before, after, ln.quantity)
        tax = _part(ln.tax_amount, before, after, ln.quantity)
        discount = _part(ln.discount, before, after, ln.quantity)
        lines.append(SaleLineRecord(
            new_id(), len(lines) + 1, ln.variant_id, ln.id, ln.name, ln.sku, ln.unit,
            ln.precision, qty, ln.unit_price, ln.list_price, discount, ln.tax_rate_bp, tax,
            total, None,
        ))
        taxable, tax_sum = taxes.get(ln.tax_rate_bp, (0, 0))
        taxes[ln.tax_rate_bp] = (taxable + total - tax, tax_sum + tax)
    before_rounding = sum(ln.total for ln in lines)
    amount_total = sum(ln.total - (0 if original.prices_include_tax else ln.tax_amount)
                       for ln in lines)
    discount_total = sum(ln.discount for ln in lines)
    total = money.cash_round(before_rounding, cash_rounding)
    return RefundQuote(
        tuple(lines), amount_total + discount_total, discount_total,
        sum(ln.tax_amount for ln in lines),
        tuple(TaxRecord(rate, t[0], t[1]) for rate, t in sorted(taxes.items())),
        total - before_rounding, total,
    )


def _tracked(conn: Connection, variant_ids: set[str]) -> set[str]:
    return set(conn.execute(
        select(variants.c.id).where(variants.c.id.in_(variant_ids),
                                    variants.c.track_inventory.is_(True))
    ).scalars())


class RefundService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def quote(self, original_sale_id: str, lines: Sequence[RefundLine], *,
              cash_only: bool = False) -> RefundQuote:
        """What :meth:`refund` would pay back for these lines."""
        with self._db.read() as conn:
            original = load_sale(conn, original_sale_id)
            if original is None:
                raise NotFound("That sale was not found.")
            step = shop_terms(conn).cash_rounding if cash_only else 1
        return _price_refund(original, lines, step)

    def refund(
        self, actor: Actor, original_sale_id: str, lines: Sequence[RefundLine],
        tenders: Sequence[Tender], *, reason: str, approver: Actor | None = None,
        restock: bool = True, location_id: str | None = None,
    ) -> SaleRecord:
        approved = require(actor, Permission.REFUND, approver)
        if not reason.strip():
            raise ValidationError("Say why the items are refunded.", field="reason")
        lines, tenders = tuple(lines), tuple(tenders)

        def write(tx: Tx) -> SaleRecord:
            conn = tx.conn
            original = load_sale(conn, original_sale_id)
            if original is None:
                raise NotFound("That sale was not found.")
            terms = shop_terms(conn)
            location = location_id or default_location_id(conn)
            shift = require_open_shift(conn, location)
            quote = _price_refund(original, lines,
                                  terms.cash_rounding if is_cash_only(tenders) else 1)
            paid = settle_tenders(quote.total, tenders, currency=terms.currency,
                                  locale=terms.locale, allow_change=False)
            now = utc_now()
            refund_id = new_id()
            record = SaleRecord(
                refund_id, next_receipt_number(tx, terms.device_prefix), "REFUND",
                original.id, shift.id, actor.staff_id, location, original.currency,
                original.prices_include_tax, quote.subtotal, quote.discount_total,
                quote.tax_total, quote.rounding, quote.total, reason.strip(),
                approved.staff_id if approved else None, now, quote.lines, paid, quote.taxes,
            )
            insert_sale(tx, record)
            cash = sum(t.amount for t in paid if t.kind == CASH)
            if cash:
                record_cash(tx, shift.id, actor, "REFUND", -cash, sale_id=refund_id)
            if restock:
                tracked = _tracked(conn, {ln.variant_id for ln in quote.lines if ln.variant_id})
                stock_ledger.record(tx, [
                    stock_ledger.Movement(ln.variant_id, location, "returned", delta=ln.quantity,
                                          reference_type="sale", reference_id=refund_id,
                                          occurred_at=now)
                    for ln in quote.lines if ln.variant_id in tracked
                ], staff_id=actor.staff_id)
            outbox.enqueue(tx, "sale", refund_id, "create", api_payload(record))
            audit.append(tx, "refund", staff_id=actor.staff_id,
                         approved_by=approved.staff_id if approved else None,
                         entity_type="sale", entity_id=refund_id, details={
                             "original_sale_id": original.id,
                             "original_receipt": original.receipt_number,
                             "total": quote.total, "reason": reason.strip(),
                             "restock": restock,
                         })
            tx.changed("sale", original.id)
            return record

        return self._db.write(write)
