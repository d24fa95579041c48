"""Completed sale documents (sales and refunds) as plain records: write, read, API payload.

Amounts on a document are positive whatever its kind; ``kind`` ("SALE" or "REFUND") says
which way the money went. For every document:

- ``subtotal`` = sum of the lines' ``unit_price x quantity`` (before any discount),
- ``discount_total`` = sum of the lines' ``discount`` (line discounts plus each line's share
  of a whole-sale discount),
- ``total`` = sum of the lines' ``total`` + ``rounding`` (cash rounding, may be negative),
  where a line's ``total`` includes its tax (tax inside the price, or added on top).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from local_db.rawsql import insert_rows
from local_db.tables import sale_lines, sale_taxes, sale_tenders, sales, variants
from local_db.types import format_utc
from local_db.writer import Tx
from vendor_console.quantities import MAX_PRECISION, format_quantity


@dataclass(frozen=True, slots=True)
class SaleLineRecord:
    id: str
    line_no: int
    variant_id: str | None
    original_line_id: str | None
    name: str
    sku: str | None
    unit: str
    precision: int  # decimals the variant is sold in (for showing the quantity)
    quantity: int  # scaled by QTY_SCALE
    unit_price: int
    list_price: int
    discount: int
    tax_rate_bp: int
    tax_amount: int
    total: int
    note: str | None = None
    refunded_quantity: int = 0  # sales only: already refunded by later refund documents
    refundable_quantity: int = 0  # sales only: quantity - refunded_quantity


@dataclass(frozen=True, slots=True)
class TenderRecord:
    id: str
    kind: str
    amount: int  # applied to the document
    tendered: int  # handed over (cash may be more than amount)
    change: int
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class TaxRecord:
    rate_bp: int
    taxable: int  # net amount the rate applied to
    tax: int


@dataclass(frozen=True, slots=True)
class SaleRecord:
    id: str
    receipt_number: str
    kind: str  # SALE or REFUND
    original_sale_id: str | None
    shift_id: str | None
    staff_id: str
    location_id: str
    currency: str
    prices_include_tax: bool
    subtotal: int
    discount_total: int
    tax_total: int
    rounding: int
    total: int
    note: str | None
    approved_by: str | None
    completed_at: datetime
    lines: tuple[SaleLineRecord, ...]
    tenders: tuple[TenderRecord, ...]
    taxes: tuple[TaxRecord, ...]

    @property
    def change_due(self) -> int:
        return sum(t.change for t in self.tenders)


def insert_sale(tx: Tx, sale: SaleRecord) -> None:
    """Write the document's rows (sale, lines, taxes, tenders) with one statement per table,
    on the DB-API fast path (this is the sale-commit hot path)."""
    conn = tx.conn
    insert_rows(conn, sales, [{
        "id": sale.id, "receipt_number": sale.receipt_number, "kind": sale.kind,
        "original_sale_id": sale.original_sale_id, "shift_id": sale.shift_id,
        "staff_id": sale.staff_id, "location_id": sale.location_id, "currency": sale.currency,
        "prices_include_tax": sale.prices_include_tax, "subtotal": sale.subtotal,
        "discount_total": sale.discount_total, "tax_total": sale.tax_total,
        "rounding": sale.rounding, "total": sale.total, "note": sale.note,
        "approved_by": sale.approved_by, "completed_at": sale.completed_at,
        "remote_id": None, "version": None,
    }])
    if sale.lines:
        insert_rows(conn, sale_lines, [
            {"id": ln.id, "sale_id": sale.id, "line_no": ln.line_no, "variant_id": ln.variant_id,
             "original_line_id": ln.original_line_id, "name": ln.name, "sku": ln.sku,
             "unit": ln.unit, "quantity": ln.quantity, "unit_price": ln.unit_price,
             "list_price": ln.list_price, "discount": ln.discount,
             "tax_rate_bp": ln.tax_rate_bp, "tax_amount": ln.tax_amount, "total": ln.total,
             "note": ln.note}
            for ln in sale.lines
        ])
    if sale.taxes:
        insert_rows(conn, sale_taxes, [
            {"sale_id": sale.id, "rate_bp": t.rate_bp, "taxable": t.taxable, "tax": t.tax}
            for t in sale.taxes
        ])
    if sale.tenders:
        insert_rows(conn, sale_tenders, [
            {"id": t.id, "sale_id": sale.id, "kind": t.kind, "amount": t.amount,
             "tendered": t.tendered, "change": t.change, "reference": t.reference}
            for t in sale.tenders
        ])
    tx.changed("sale", sale.id)


def refunded_quantities(conn: Connection, sale_id: str) -> dict[str, int]:
    """Original line id -> quantity already refunded, over all refunds of ``sale_id``."""
    rows = conn.execute(
        select(sale_lines.c.original_line_id, func.sum(sale_lines.c.quantity))
        .join(sales, sales.c.id == sale_lines.c.sale_id)
        .where(sales.c.original_sale_id == sale_id, sales.c.kind == "REFUND")
        .group_by(sale_lines.c.original_line_id)
    )
    return {str(line_id): int(qty) for line_id, qty in rows if line_id is not None}


def load_sale(conn: Connection, sale_id: str) -> SaleRecord | None:
    head = conn.execute(select(sales).where(sales.c.id == sale_id)).mappings().first()
    if head is None:
        return None
    is_sale = head["kind"] == "SALE"
    refunded = refunded_quantities(conn, sale_id) if is_sale else {}
    line_rows = conn.execute(
        select(sale_lines, variants.c.precision)
        .outerjoin(variants, variants.c.id == sale_lines.c.variant_id)
        .where(sale_lines.c.sale_id == sale_id)
        .order_by(sale_lines.c.line_no)
    ).mappings()
    lines = []
    for r in line_rows:
        done = refunded.get(r["id"], 0)
        lines.append(SaleLineRecord(
            r["id"], r["line_no"], r["variant_id"], r["original_line_id"], r["name"], r["sku"],
            r["unit"], MAX_PRECISION if r["precision"] is None else r["precision"],
            r["quantity"], r["unit_price"], r["list_price"], r["discount"], r["tax_rate_bp"],
            r["tax_amount"], r["total"], r["note"], done,
            r["quantity"] - done if is_sale else 0,
        ))
    tenders = tuple(
        TenderRecord(r.id, r.kind, r.amount, r.tendered, r.change, r.reference)
        for r in conn.execute(
            select(sale_tenders).where(sale_tenders.c.sale_id == sale_id)
            .order_by(sale_tenders.c.id)
        )
    )
    taxes = tuple(
        TaxRecord(r.rate_bp, r.taxable, r.tax)
        for r in conn.execute(
            select(sale_taxes).where(sale_taxes.c.sale_id == sale_id)
            .order_by(sale_taxes.c.rate_bp)
        )
    )
    return SaleRecord(
        head["id"], head["receipt_number"], head["kind"], head["original_sale_id"],
        head["shift_id"], head["staff_id"], head["location_id"], head["currency"],
        bool(head["prices_include_tax"]), head["subtotal"], head["discount_total"],
        head["tax_total"], head["rounding"], head["total"], head["note"], head["approved_by"],
        head["completed_at"], tuple(lines), tenders, taxes,
    )


def api_payload(sale: SaleRecord) -> dict[str, Any]:
    """The ``POST /sales`` body (API.md "Counter sales"); ``id`` is the idempotent sale id.

    Ids are local ids; the sync sender maps variants and locations to their remote ids.
    """
    def money(amount: int) -> dict[str, Any]:
        return {"amount": amount, "currency": sale.currency}

    return {
        "id": sale.id,
        "receipt_number": sale.receipt_number,
        "kind": sale.kind,
        "original_sale_id": sale.original_sale_id,
        "location_id": sale.location_id,
        "staff_id": sale.staff_id,
        "completed_at": format_utc(sale.completed_at),
        "prices_include_tax": sale.prices_include_tax,
        "lines": [
            {"id": ln.id, "variant_id": ln.variant_id, "original_line_id": ln.original_line_id,
             "name": ln.name, "sku": ln.sku, "unit": ln.unit, "precision": ln.precision,
             "quantity": format_quantity(ln.quantity, ln.precision),
             "unit_price": money(ln.unit_price), "list_price": money(ln.list_price),
             "discount": money(ln.discount), "tax_rate_bp": ln.tax_rate_bp,
             "tax": money(ln.tax_amount), "total": money(ln.total)}
            for ln in sale.lines
        ],
        "taxes": [
            {"rate_bp": t.rate_bp, "taxable": money(t.taxable), "tax": money(t.tax)}
            for t in sale.taxes
        ],
        "tenders": [
            {"id": t.id, "kind": t.kind, "amount": money(t.amount), "reference": t.reference}
            for t in sale.tenders
        ],
        "subtotal": money(sale.subtotal),
        "discount_total": money(sale.discount_total),
        "tax_total": money(sale.tax_total),
        "rounding": money(sale.rounding),
        "total": money(sale.total),
        "note": sale.note,
    }
