"""Completing counter sales: what a sale writes, what a bad sale refuses, and the money on it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from local_db.database import Database
from local_db.tables import (
    audit_log,
    cash_movements,
    counters,
    outbox,
    products,
    sale_lines,
    sale_taxes,
    sale_tenders,
    sales,
    shop,
    stock_levels,
    stock_movements,
    tax_rates,
    variants,
)
from local_db.types import utc_now
from tests.conftest import ShopFixture
from vendor_console.errors import (
    InvalidQuantity,
    NotFound,
    PaymentMismatch,
    PermissionDenied,
    ShiftRequired,
)
from vendor_console.ids import new_id
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart, CartLine, Discount, Tender
from vendor_console.services.shifts import ShiftService

ROW_TABLES = (sales, sale_lines, sale_taxes, sale_tenders, cash_movements, stock_movements,
              stock_levels, outbox, audit_log, counters)


# -- helpers shared with the refund and shift tests --------------------------------------------
def add_variant(
    db: Database, name: str, price: int, *, rate_bp: int = 2000, variant: str = "",
    unit: str = "pc", precision: int = 0, track: bool = True, sku: str | None = None,
) -> str:
    """A product with one variant, inserted directly (the catalog service is not needed)."""
    variant_id = new_id()

    def write(tx: Any) -> None:
        rate_id = tx.conn.execute(
            select(tax_rates.c.id).where(tax_rates.c.rate_bp == rate_bp)
        ).scalar_one()
        product_id, now = new_id(), utc_now()
        stamps = {"created_at": now, "updated_at": now}
        tx.conn.execute(insert(products), {"id": product_id, "client_ref": new_id(),
                                           "name": name, **stamps})
        tx.conn.execute(insert(variants), {
            "id": variant_id, "client_ref": new_id(), "product_id": product_id,
            "name": variant, "sku": sku, "price": price, "tax_rate_id": rate_id, "unit": unit,
            "precision": precision, "track_inventory": track, **stamps,
        })

    db.write(write)
    return variant_id


def set_shop(db: Database, **values: Any) -> None:
    db.write(lambda tx: tx.conn.execute(update(shop).values(**values)))


def row_counts(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        counts: dict[str, Any] = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in ROW_TABLES
        }
        counts["counter_values"] = sorted([tuple(r) for r in conn.execute(select(counters))])
    return counts


def line(variant_id: str, qty: int = 1, **kw: Any) -> CartLine:
    return CartLine(variant_id, qty * 1000, **kw)


def cash(amount: int, tendered: int | None = None) -> Tender:
    return Tender("CASH", amount, tendered)


def card(amount: int) -> Tender:
    return Tender("CARD", amount, reference="AUTH-1")


@pytest.fixture
def till(shop: ShopFixture) -> CheckoutService:
    """Checkout with a shift open (float 100.00) by the cashier."""
    ShiftService(shop.db).open_shift(shop.cashier, 10_000)
    return CheckoutService(shop.db)


@pytest.fixture
def bread(shop: ShopFixture) -> str:
    return add_variant(shop.db, "Sourdough loaf", 450, rate_bp=2000, sku="BRD-1")


@pytest.fixture
def jam(shop: ShopFixture) -> str:
    return add_variant(shop.db, "Jam", 300, rate_bp=500, variant="Apricot", track=False)


# -- a good sale -----------------------------------------------------------------------------
def test_completed_sale_writes_every_record_together(
    shop: ShopFixture, till: CheckoutService, bread: str, jam: str
) -> None:
    sale = till.complete_sale(
        shop.cashier, Cart((line(bread, 2), line(jam, 1, note="gift"))), [cash(2000)]
    )
    # 2 x 4.50 at 20 % inclusive: tax 1.50; 3.00 at 5 %: tax 0.14 (14.28 rounds down)
    assert (sale.subtotal, sale.discount_total, sale.tax_total, sale.total) == (1200, 0, 164, 1200)
    assert sale.change_due == 800
    assert sale.receipt_number == "A-000001"
    assert [ln.name for ln in sale.lines] == ["Sourdough loaf", "Jam – Apricot"]
    assert [(t.rate_bp, t.taxable, t.tax) for t in sale.taxes] == [(500, 286, 14), (2000, 750, 150)]

    db = shop.db
    with db.read() as conn:
        row = conn.execute(select(sales).where(sales.c.id == sale.id)).one()
        assert (row.total, row.kind, row.staff_id) == (1200, "SALE", shop.cashier.staff_id)
        assert conn.execute(select(func.count()).select_from(sale_lines)).scalar() == 2
        tender = conn.execute(select(sale_tenders)).one()
        assert (tender.kind, tender.amount, tender.tendered, tender.change) == \
            ("CASH", 1200, 2000, 800)
        drawer = conn.execute(
            select(cash_movements.c.amount).where(cash_movements.c.kind == "SALE")
        ).scalar_one()
        assert drawer == 1200  # what stays in the drawer: 20.00 handed over, 8.00 change
        moves = conn.execute(select(stock_movements)).all()
        assert [(m.variant_id, m.delta, m.reason, m.reference_id) for m in moves] == \
            [(bread, -2000, "sold_pos", sale.id)]  # the jam's stock is not tracked
        assert conn.execute(select(stock_levels.c.on_hand)).scalar_one() == -2000
        queued = conn.execute(select(outbox).where(outbox.c.resource_type == "sale")).one()
    assert queued.resource_id == sale.id
    assert queued.payload["id"] == sale.id
    assert queued.payload["total"] == {"amount": 1200, "currency": "EUR"}
    assert [ln["quantity"] for ln in queued.payload["lines"]] == ["2", "1"]
    assert queued.payload["tenders"][0]["amount"]["amount"] == 1200

    again = till.get_sale(sale.id)
    assert again == sale
    assert [ln.refundable_quantity for ln in again.lines] == [2000, 1000]


def test_sale_discount_is_spread_over_the_lines_and_adds_up(
    shop: ShopFixture, till: CheckoutService, bread: str, jam: str
) -> None:
    sale = till.complete_sale(
        shop.cashier,
        Cart((line(bread, 2), line(jam, 1)), sale_discount=Discount(amount=100)),
        [card(1100)],
    )
    assert [ln.discount for ln in sale.lines] == [75, 25]
    assert (sale.subtotal, sale.discount_total, sale.total) == (1200, 100, 1100)
    assert sum(ln.total for ln in sale.lines) == sale.total


# -- money rules on a sale -------------------------------------------------------------------
def test_prices_with_tax_added_on_top(shop: ShopFixture, till: CheckoutService) -> None:
    set_shop(shop.db, prices_include_tax=False)
    item = add_variant(shop.db, "Vase", 1000, rate_bp=2000)
    sale = till.complete_sale(shop.cashier, Cart((line(item, 1),)), [card(1200)])
    assert (sale.subtotal, sale.tax_total, sale.total) == (1000, 200, 1200)
    assert sale.taxes[0].taxable == 1000


def test_tax_inside_prices_rounds_half_up(shop: ShopFixture, till: CheckoutService) -> None:
    item = add_variant(shop.db, "Mug", 999, rate_bp=2000)
    sale = till.complete_sale(shop.cashier, Cart((line(item, 1),)), [card(999)])
    assert (sale.total, sale.tax_total, sale.taxes[0].taxable) == (999, 167, 832)


def test_weighed_items_use_the_variants_precision(shop: ShopFixture, till: CheckoutService) -> None:
    cheese = add_variant(shop.db, "Cheese", 1990, unit="kg", precision=3)
    sale = till.complete_sale(shop.cashier, Cart((CartLine(cheese, 250),)), [card(498)])
    assert sale.total == 498  # 0.250 kg at 19.90/kg = 4.975 -> 4.98
    loaf = add_variant(shop.db, "Loaf", 300)
    before = row_counts(shop.db)
    with pytest.raises(InvalidQuantity, match="whole numbers"):
        till.complete_sale(shop.cashier, Cart((CartLine(loaf, 1500),)), [card(450)])
    assert row_counts(shop.db) == before


def test_cash_gives_change_and_is_rounded_to_the_smallest_coin(
    shop: ShopFixture, till: CheckoutService
) -> None:
    set_shop(shop.db, cash_rounding=5)
    item = add_variant(shop.db, "Scone", 1233)
    paid_cash = till.complete_sale(shop.cashier, Cart((line(item),)), [cash(2000)])
    assert (paid_cash.total, paid_cash.rounding, paid_cash.change_due) == (1235, 2, 765)
    assert till.quote(Cart((line(item),)), cash_only=True).total == 1235
    paid_card = till.complete_sale(shop.cashier, Cart((line(item),)), [card(1233)])
    assert (paid_card.total, paid_card.rounding) == (1233, 0)
    mixed = till.complete_sale(shop.cashier, Cart((line(item),)), [card(1000), cash(500)])
    assert mixed.rounding == 0  # not cash only: no rounding
    assert [(t.kind, t.amount, t.change) for t in mixed.tenders] == \
        [("CARD", 1000, 0), ("CASH", 233, 267)]


@pytest.mark.parametrize("tenders", [
    [cash(1000)],  # short
    [card(1300)],  # a card may not pay more than the total
    [card(1000), card(300)],
])
def test_payments_that_do_not_match_write_nothing(
    shop: ShopFixture, till: CheckoutService, bread: str, jam: str, tenders: list[Tender]
) -> None:
    before = row_counts(shop.db)
    with pytest.raises(PaymentMismatch):
        till.complete_sale(shop.cashier, Cart((line(bread, 2), line(jam))), tenders)
    assert row_counts(shop.db) == before


def test_archived_or_missing_item_fails_the_whole_sale(
    shop: ShopFixture, till: CheckoutService, bread: str, jam: str
) -> None:
    shop.db.write(lambda tx: tx.conn.execute(
        update(variants).where(variants.c.id == jam).values(archived_at=utc_now())
    ))
    before = row_counts(shop.db)
    with pytest.raises(NotFound, match="removed from the catalog"):
        till.complete_sale(shop.cashier, Cart((line(bread), line(jam))), [cash(2000)])
    with pytest.raises(NotFound):
        till.complete_sale(shop.cashier, Cart((line(new_id()),)), [cash(2000)])
    assert row_counts(shop.db) == before
    # the receipt number was not used up
    assert till.complete_sale(shop.cashier, Cart((line(bread),)), [cash(450)]).receipt_number \
        == "A-000001"


# -- permissions -----------------------------------------------------------------------------
def _audit(db: Database) -> list[tuple[str, str | None, str | None]]:
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(
            select(audit_log.c.action, audit_log.c.staff_id, audit_log.c.approved_by)
            .where(audit_log.c.action.in_(["price_override", "discount_over_limit"]))
            .order_by(audit_log.c.seq)
        )]


def test_price_override_needs_permission_or_a_managers_approval(
    shop: ShopFixture, till: CheckoutService, bread: str
) -> None:
    cart = Cart((line(bread, unit_price=400),))
    before = row_counts(shop.db)
    with pytest.raises(PermissionDenied, match="may not change a price"):
        till.complete_sale(shop.cashier, cart, [cash(400)])
    assert row_counts(shop.db) == before

    approved = till.complete_sale(shop.cashier, cart, [cash(400)], approver=shop.manager)
    assert approved.total == 400
    assert approved.lines[0].list_price == 450
    assert approved.approved_by == shop.manager.staff_id
    by_manager = till.complete_sale(shop.manager, cart, [cash(400)])
    assert by_manager.approved_by is None
    assert _audit(shop.db) == [
        ("price_override", shop.cashier.staff_id, shop.manager.staff_id),
        ("price_override", shop.manager.staff_id, None),
    ]


def test_discount_over_the_roles_limit_needs_approval(
    shop: ShopFixture, till: CheckoutService, bread: str
) -> None:
    within = till.complete_sale(
        shop.cashier, Cart((line(bread, 2, discount=Discount(bp=1000)),)), [cash(810)]
    )
    assert within.discount_total == 90
    assert _audit(shop.db) == []  # 10 % is within a cashier's limit

    over = Cart((line(bread, 2),), sale_discount=Discount(bp=1500))
    with pytest.raises(PermissionDenied, match="discount over the limit"):
        till.complete_sale(shop.cashier, over, [cash(765)])
    sale = till.complete_sale(shop.cashier, over, [cash(765)], approver=shop.manager)
    assert sale.total == 765
    assert _audit(shop.db) == [
        ("discount_over_limit", shop.cashier.staff_id, shop.manager.staff_id)
    ]


# -- shift, receipt numbers, retries ---------------------------------------------------------
def test_no_sale_without_an_open_shift(shop: ShopFixture, bread: str) -> None:
    before = row_counts(shop.db)
    with pytest.raises(ShiftRequired):
        CheckoutService(shop.db).complete_sale(shop.cashier, Cart((line(bread),)), [cash(450)])
    assert row_counts(shop.db) == before


def test_receipt_numbers_are_sequential_unique_and_findable(
    shop: ShopFixture, till: CheckoutService, bread: str
) -> None:
    set_shop(shop.db, device_prefix="B")
    numbers = [
        till.complete_sale(shop.cashier, Cart((line(bread),)), [cash(450)]).receipt_number
        for _ in range(3)
    ]
    assert numbers == ["B-000001", "B-000002", "B-000003"]
    found = till.find_by_receipt("B-000002")
    assert found is not None
    assert found.receipt_number == "B-000002"
    assert till.find_by_receipt("B-999999") is None


def test_retrying_with_the_same_sale_id_does_not_charge_twice(
    shop: ShopFixture, till: CheckoutService, bread: str
) -> None:
    sale_id = new_id()
    first = till.complete_sale(shop.cashier, Cart((line(bread),)), [cash(450)], sale_id=sale_id)
    again = till.complete_sale(shop.cashier, Cart((line(bread),)), [cash(450)], sale_id=sale_id)
    assert again == first
    with shop.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(sales)).scalar() == 1
        assert conn.execute(select(stock_levels.c.on_hand)).scalar_one() == -1000


def test_a_failure_after_the_rows_are_written_rolls_everything_back(
    shop: ShopFixture, till: CheckoutService, bread: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated fault (no real part can fail on demand at this point): the first outbox write
    # (the stock movement's), after the sale, lines, taxes, tenders and cash rows, blows up.
    def broken(*_args: object, **_kw: object) -> str:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr("vendor_console.services.checkout.outbox.enqueue", broken)
    before = row_counts(shop.db)
    with pytest.raises(RuntimeError, match="disk unplugged"):
        till.complete_sale(shop.cashier, Cart((line(bread, 2),)), [cash(900)])
    assert row_counts(shop.db) == before
