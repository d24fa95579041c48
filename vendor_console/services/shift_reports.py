"""Shift reports: the X report (so far) and Z report (closed, with the count) of one shift.

Sales add, refunds subtract. Expected cash is the sum of the shift's signed cash movements:
float + cash sales - cash refunds + cash in - cash out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select

from local_db.tables import cash_movements, sale_taxes, sale_tenders, sales

if TYPE_CHECKING:
    from vendor_console.services.shifts import ShiftRecord


@dataclass(frozen=True, slots=True)
class TenderTotal:
    kind: str
    sales: int
    refunds: int

    @property
    def net(self) -> int:
        return self.sales - self.refunds


@dataclass(frozen=True, slots=True)
class TaxTotal:
    rate_bp: int
    taxable: int  # net of refunds
    tax: int  # net of refunds


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """An X report (shift still open) or, once closed with a count, the Z report."""

    shift: ShiftRecord
    sales_count: int
    sales_total: int  # gross takings, tax included
    refunds_count: int
    refunds_total: int
    discount_total: int  # on sales, net of refunded discounts
    taxes: tuple[TaxTotal, ...]
    tenders: tuple[TenderTotal, ...]
    opening_float: int
    cash_sales: int
    cash_refunds: int
    cash_in: int
    cash_out: int
    expected_cash: int
    counted_cash: int | None = None

    @property
    def net_total(self) -> int:
        return self.sales_total - self.refunds_total

    @property
    def difference(self) -> int | None:
        """Counted minus expected: negative when cash is missing."""
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash


def shift_report(conn: Connection, shift: ShiftRecord) -> ShiftReport:
    docs = {k: (n, total, disc) for k, n, total, disc in conn.execute(
        select(sales.c.kind, func.count(), func.sum(sales.c.total),
               func.sum(sales.c.discount_total))
        .where(sales.c.shift_id == shift.id).group_by(sales.c.kind)
    )}
    taxes: dict[int, tuple[int, int]] = {}
    for kind, rate, taxable, tax in conn.execute(
        select(sales.c.kind, sale_taxes.c.rate_bp, func.sum(sale_taxes.c.taxable),
               func.sum(sale_taxes.c.tax))
        .join(sales, sales.c.id == sale_taxes.c.sale_id).where(sales.c.shift_id == shift.id)
        .group_by(sales.c.kind, sale_taxes.c.rate_bp)
    ):
        sign = 1 if kind == "SALE" else -1
        old = taxes.get(rate, (0, 0))
        taxes[rate] = (old[0] + sign * taxable, old[1] + sign * tax)
    tenders: dict[str, list[int]] = {}
    for doc_kind, kind, amount in conn.execute(
        select(sales.c.kind, sale_tenders.c.kind, func.sum(sale_tenders.c.amount))
        .join(sales, sales.c.id == sale_tenders.c.sale_id).where(sales.c.shift_id == shift.id)
        .group_by(sales.c.kind, sale_tenders.c.kind)
    ):
        tenders.setdefault(kind, [0, 0])[0 if doc_kind == "SALE" else 1] += amount
    cash: dict[str, int] = {kind: amount for kind, amount in conn.execute(
        select(cash_movements.c.kind, func.sum(cash_movements.c.amount))
        .where(cash_movements.c.shift_id == shift.id).group_by(cash_movements.c.kind)
    )}
    sold, refunded = docs.get("SALE", (0, 0, 0)), docs.get("REFUND", (0, 0, 0))
    return ShiftReport(
        shift, sold[0], sold[1], refunded[0], refunded[1], sold[2] - refunded[2],
        tuple(TaxTotal(r, t[0], t[1]) for r, t in sorted(taxes.items())),
        tuple(TenderTotal(k, v[0], v[1]) for k, v in sorted(tenders.items())),
        shift.opening_float, cash.get("SALE", 0), -cash.get("REFUND", 0), cash.get("IN", 0),
        -cash.get("OUT", 0), sum(cash.values()), shift.counted_cash,
    )
