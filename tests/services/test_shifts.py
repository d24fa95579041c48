"""Shifts: the float, cash in and out, the X report and closing with a Z report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from local_db.tables import audit_log, cash_movements
from tests.conftest import ShopFixture
from tests.services.test_checkout import add_variant, card, cash, line
from vendor_console.errors import InvalidPrice, PermissionDenied, ShiftAlreadyOpen, ShiftRequired
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart
from vendor_console.services.refunds import RefundLine, RefundService
from vendor_console.services.shift_reports import TaxTotal, TenderTotal
from vendor_console.services.shifts import ShiftService


def _actions(shop: ShopFixture) -> list[tuple[str, str | None, str | None]]:
    with shop.db.read() as conn:
        return [
            (r.action, r.staff_id, r.approved_by)
            for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))
            if r.action.startswith(("shift_", "cash_"))
        ]


def test_open_shift_counts_the_float_and_only_one_may_be_open(shop: ShopFixture) -> None:
    shifts = ShiftService(shop.db)
    assert shifts.current_shift() is None
    opened = shifts.open_shift(shop.cashier, 15_000)
    assert opened.number == 1
    current = shifts.current_shift(shop.location_id)
    assert current is not None
    assert (current.id, current.opening_float, current.is_open) == (opened.id, 15_000, True)
    with shop.db.read() as conn:
        floats = conn.execute(select(cash_movements.c.kind, cash_movements.c.amount)).all()
    assert [tuple(f) for f in floats] == [("FLOAT", 15_000)]
    with pytest.raises(ShiftAlreadyOpen):
        shifts.open_shift(shop.manager, 5_000)
    assert _actions(shop) == [("shift_open", shop.cashier.staff_id, None)]


def test_cash_in_and_out_need_permission_or_approval_and_are_audited(shop: ShopFixture) -> None:
    shifts = ShiftService(shop.db)
    with pytest.raises(ShiftRequired):
        shifts.cash_in(shop.manager, 1000, "change from the bank")
    shifts.open_shift(shop.cashier, 10_000)
    with pytest.raises(PermissionDenied, match="take cash in or out"):
        shifts.cash_out(shop.cashier, 2000, "window cleaner")
    with pytest.raises(InvalidPrice):
        shifts.cash_out(shop.manager, 2000, "  ")
    paid_out = shifts.cash_out(shop.cashier, 2000, "window cleaner", approver=shop.manager)
    assert paid_out.amount == -2000
    shifts.cash_in(shop.manager, 500, "change from the bank")
    assert _actions(shop)[1:] == [
        ("cash_out", shop.cashier.staff_id, shop.manager.staff_id),
        ("cash_in", shop.manager.staff_id, None),
    ]


def test_x_report_adds_up_the_shift_and_close_gives_the_z_report(shop: ShopFixture) -> None:
    shifts = ShiftService(shop.db)
    checkout = CheckoutService(shop.db)
    bread = add_variant(shop.db, "Sourdough loaf", 450, rate_bp=2000)
    jam = add_variant(shop.db, "Jam", 300, rate_bp=500)
    shift = shifts.open_shift(shop.cashier, 10_000)

    cash_sale = checkout.complete_sale(
        shop.cashier, Cart((line(bread, 2), line(jam))), [cash(1200, tendered=2000)]
    )
    checkout.complete_sale(shop.cashier, Cart((line(bread),)), [card(450)])
    RefundService(shop.db).refund(
        shop.manager, cash_sale.id, [RefundLine(cash_sale.lines[0].id, 1000)], [cash(450)],
        reason="burnt",
    )
    shifts.cash_in(shop.manager, 500, "coins")
    shifts.cash_out(shop.manager, 2000, "supplier")

    x = shifts.x_report(shift.id)
    assert (x.sales_count, x.sales_total, x.refunds_count, x.refunds_total) == (2, 1650, 1, 450)
    assert x.net_total == 1200
    assert x.taxes == (TaxTotal(500, 286, 14), TaxTotal(2000, 750, 150))  # 2 loaves net
    assert x.tenders == (TenderTotal("CARD", 450, 0), TenderTotal("CASH", 1200, 450))
    assert (x.opening_float, x.cash_sales, x.cash_refunds, x.cash_in, x.cash_out) == \
        (10_000, 1200, 450, 500, 2000)
    assert x.expected_cash == 10_000 + 1200 - 450 + 500 - 2000
    assert x.counted_cash is None
    assert x.difference is None

    z = shifts.close_shift(shop.cashier, 9_200)
    assert z.shift.closed_at is not None
    assert (z.expected_cash, z.counted_cash, z.difference) == (9_250, 9_200, -50)
    assert shifts.current_shift() is None
    assert shifts.x_report(shift.id).difference == -50  # the stored Z figures
    with pytest.raises(ShiftRequired):
        checkout.complete_sale(shop.cashier, Cart((line(bread),)), [cash(450)])
    assert _actions(shop)[-1] == ("shift_close", shop.cashier.staff_id, None)
    with shop.db.read() as conn:
        details = conn.execute(
            select(audit_log.c.details).where(audit_log.c.action == "shift_close")
        ).scalar_one()
    assert details["difference"] == -50

    assert shifts.open_shift(shop.cashier, 9_200).number == 2  # the next Z number


def test_closing_needs_an_open_shift(shop: ShopFixture) -> None:
    with pytest.raises(ShiftRequired):
        ShiftService(shop.db).close_shift(shop.manager, 0)
