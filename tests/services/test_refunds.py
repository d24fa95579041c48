"""Refunds: partial and repeated refunds up to what was sold, and what a refund writes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from local_db.tables import audit_log, cash_movements, outbox, sales, stock_levels
from tests.conftest import ShopFixture
from tests.services.test_checkout import add_variant, card, cash, line, row_counts
from vendor_console.errors import (
    PaymentMismatch,
    PermissionDenied,
    RefundExceedsSale,
    ShiftRequired,
    ValidationError,
)
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart, Discount
from vendor_console.services.refunds import RefundLine, RefundService
from vendor_console.services.sale_records import SaleRecord
from vendor_console.services.shifts import ShiftService


@pytest.fixture
def refunds(shop: ShopFixture) -> RefundService:
    ShiftService(shop.db).open_shift(shop.manager, 10_000)
    return RefundService(shop.db)


@pytest.fixture
def bread(shop: ShopFixture) -> str:
    return add_variant(shop.db, "Sourdough loaf", 450)


@pytest.fixture
def sale(shop: ShopFixture, refunds: RefundService, bread: str) -> SaleRecord:
    """Three loaves paid in cash."""
    return CheckoutService(shop.db).complete_sale(
        shop.cashier, Cart((line(bread, 3),)), [cash(1350)]
    )


def _on_hand(shop: ShopFixture) -> int:
    with shop.db.read() as conn:
        return int(conn.execute(select(stock_levels.c.on_hand)).scalar_one())


def test_partial_refund_returns_money_stock_and_is_audited(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    loaf = sale.lines[0].id
    refund = refunds.refund(
        shop.cashier, sale.id, [RefundLine(loaf, 1000)], [cash(450)],
        approver=shop.manager, reason="stale",
    )
    assert (refund.kind, refund.original_sale_id, refund.total) == ("REFUND", sale.id, 450)
    assert refund.receipt_number == "A-000002"
    assert refund.lines[0].original_line_id == loaf
    assert refund.tax_total == 75  # its share of the 2.25 tax on three loaves
    assert refund.approved_by == shop.manager.staff_id
    assert _on_hand(shop) == -2000  # sold 3, one back on the shelf

    with shop.db.read() as conn:
        drawer = conn.execute(
            select(cash_movements.c.amount).where(cash_movements.c.kind == "REFUND")
        ).scalar_one()
        queued = conn.execute(
            select(outbox.c.payload).where(outbox.c.resource_id == refund.id)
        ).scalar_one()
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "refund")).one()
    assert drawer == -450  # cash left the drawer
    assert queued["kind"] == "REFUND"
    assert queued["original_sale_id"] == sale.id
    assert queued["total"]["amount"] == 450
    assert (entry.staff_id, entry.approved_by) == (shop.cashier.staff_id, shop.manager.staff_id)
    assert entry.details["reason"] == "stale"

    after = CheckoutService(shop.db).get_sale(sale.id)
    assert (after.lines[0].refunded_quantity, after.lines[0].refundable_quantity) == (1000, 2000)


def test_refunds_stop_at_what_was_sold(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    loaf = sale.lines[0].id
    refunds.refund(shop.manager, sale.id, [RefundLine(loaf, 1000)], [card(450)], reason="a")
    refunds.refund(shop.manager, sale.id, [RefundLine(loaf, 2000)], [card(900)], reason="b")
    before = row_counts(shop.db)
    with pytest.raises(RefundExceedsSale, match="Only 0 pc of Sourdough loaf"):
        refunds.refund(shop.manager, sale.id, [RefundLine(loaf, 1000)], [card(450)], reason="c")
    assert row_counts(shop.db) == before


def test_partial_refunds_of_a_discounted_line_add_up_to_what_was_paid(
    shop: ShopFixture, refunds: RefundService
) -> None:
    mug = add_variant(shop.db, "Mug", 333)
    sale = CheckoutService(shop.db).complete_sale(
        shop.cashier, Cart((line(mug, 3),), sale_discount=Discount(bp=1000)), [card(899)]
    )
    assert sale.total == 899  # 9.99 less 1.00 (10 %, half up)
    loaf = sale.lines[0].id
    totals = []
    for _ in range(3):
        quote = refunds.quote(sale.id, [RefundLine(loaf, 1000)])
        done = refunds.refund(shop.manager, sale.id, [RefundLine(loaf, 1000)],
                              [card(quote.total)], reason="chipped", restock=False)
        totals.append((done.total, done.tax_total, done.discount_total))
    assert totals == [(300, 50, 33), (299, 50, 34), (300, 50, 33)]
    assert sum(t[0] for t in totals) == sale.total
    assert sum(t[1] for t in totals) == sale.tax_total
    assert sum(t[2] for t in totals) == sale.discount_total


def test_refund_without_restock_leaves_stock_alone(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    refunds.refund(shop.manager, sale.id, [RefundLine(sale.lines[0].id, 1000)], [cash(450)],
                   reason="dropped", restock=False)
    assert _on_hand(shop) == -3000


def test_refund_needs_permission_or_approval(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    before = row_counts(shop.db)
    with pytest.raises(PermissionDenied, match="may not give refunds"):
        refunds.refund(shop.cashier, sale.id, [RefundLine(sale.lines[0].id, 1000)],
                       [cash(450)], reason="x")
    assert row_counts(shop.db) == before


def test_refund_payment_must_match_exactly(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    before = row_counts(shop.db)
    for tenders in ([cash(500)], [card(400)]):
        with pytest.raises(PaymentMismatch):
            refunds.refund(shop.manager, sale.id, [RefundLine(sale.lines[0].id, 1000)],
                           tenders, reason="x")
    assert row_counts(shop.db) == before


def test_a_refund_cannot_be_refunded(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    refund = refunds.refund(shop.manager, sale.id, [RefundLine(sale.lines[0].id, 1000)],
                            [cash(450)], reason="x")
    with pytest.raises(ValidationError, match="cannot itself be refunded"):
        refunds.refund(shop.manager, refund.id, [RefundLine(refund.lines[0].id, 1000)],
                       [cash(450)], reason="y")


def test_refund_needs_an_open_shift(
    shop: ShopFixture, refunds: RefundService, sale: SaleRecord
) -> None:
    ShiftService(shop.db).close_shift(shop.manager, 11_350)
    with pytest.raises(ShiftRequired):
        refunds.refund(shop.manager, sale.id, [RefundLine(sale.lines[0].id, 1000)],
                       [cash(450)], reason="x")
    with shop.db.read() as conn:
        assert conn.execute(select(sales.c.kind)).scalars().all() == ["SALE"]
