"""Stock: adjustments, receipts and counts keep on-hand equal to the ledger and reach the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, insert, select

from local_db.tables import audit_log, locations, outbox, stock_movements
from local_db.types import utc_now
from local_db.writer import Tx
from tests.conftest import ShopFixture
from vendor_console.errors import InvalidQuantity, NotFound, PermissionDenied, ValidationError
from vendor_console.ids import new_id
from vendor_console.services import stock_ledger
from vendor_console.services.catalog import CatalogService, ProductDraft, VariantDraft
from vendor_console.services.inventory import InventoryService

UNIT = 1000  # QTY_SCALE: one piece


def _variant(shop: ShopFixture, name: str = "Candle", **fields: Any) -> str:
    record = CatalogService(shop.db).create_product(
        shop.owner, ProductDraft(name=name, variants=[VariantDraft(price=900, **fields)]))
    return record.variants[0].id


def _movements(shop: ShopFixture) -> int:
    with shop.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(stock_movements)).scalar() or 0)


def test_receive_and_adjust_move_on_hand_and_match_the_ledger(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    received = stock.receive(shop.manager, candle, 12 * UNIT, "delivery #42")
    assert received.on_hand == 12 * UNIT
    assert received.location_id == shop.location_id
    stock.adjust(shop.manager, candle, -2 * UNIT, "damaged", note="dropped")
    assert stock.on_hand(candle) == 10 * UNIT
    check = stock.verify_on_hand(candle)
    assert check.ok and check.ledger_sum == 10 * UNIT
    history = stock.history(candle)
    assert [(m.reason, m.delta, m.note, m.staff_name) for m in history] == [
        ("damaged", -2 * UNIT, "dropped", "Maya"), ("received", 12 * UNIT, "delivery #42", "Maya"),
    ]
    assert not any(m.acknowledged for m in history)
    catalog = CatalogService(shop.db)
    product_id = catalog.search("candle")[0].product_id
    assert catalog.get_product(product_id).variants[0].on_hand == 10 * UNIT


def test_each_movement_is_queued_for_the_marketplace(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    change = stock.adjust(shop.owner, candle, 3 * UNIT, "produced")
    with shop.db.read() as conn:
        payload = conn.execute(
            select(outbox.c.payload).where(outbox.c.resource_type == "inventory_change")
        ).scalar_one()
    assert payload["type"] == "ADJUSTMENT"
    assert (payload["client_change_id"], payload["delta"], payload["reason"]) == (
        change.movement_id, 3 * UNIT, "produced")


def test_count_after_sales_records_what_was_expected(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    stock.receive(shop.manager, candle, 10 * UNIT)
    shop.db.write(lambda tx: stock_ledger.record(tx, [stock_ledger.Movement(
        candle, shop.location_id, "sold_pos", delta=-3 * UNIT)], staff_id=shop.cashier.staff_id))
    counted = stock.count(shop.manager, candle, 5 * UNIT)
    assert counted.on_hand == 5 * UNIT
    latest = stock.history(candle, limit=1)[0]
    assert (latest.kind, latest.counted, latest.expected_on_hand, latest.delta) == (
        "PHYSICAL_COUNT", 5 * UNIT, 7 * UNIT, -2 * UNIT)
    assert stock.verify_on_hand(candle).ok
    with shop.db.read() as conn:
        payloads = list(conn.execute(select(outbox.c.payload)
                                     .where(outbox.c.resource_type == "inventory_change")
                                     .order_by(outbox.c.seq)).scalars())
    assert payloads[-1]["type"] == "PHYSICAL_COUNT"
    assert (payloads[-1]["quantity"], payloads[-1]["expected_on_hand"]) == (5 * UNIT, 7 * UNIT)


def test_cashier_may_not_adjust_stock_unless_a_manager_approves(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    with pytest.raises(PermissionDenied) as info:
        stock.adjust(shop.cashier, candle, 5 * UNIT, "received")
    assert "Cal" in info.value.user_message
    with pytest.raises(PermissionDenied):
        stock.count(shop.cashier, candle, 0)
    assert _movements(shop) == 0
    stock.receive(shop.cashier, candle, 5 * UNIT, approver=shop.manager)
    assert stock.on_hand(candle) == 5 * UNIT
    with shop.db.read() as conn:
        override = conn.execute(select(audit_log.c.action, audit_log.c.staff_id,
                                       audit_log.c.approved_by)
                                .where(audit_log.c.action == "permission_override")).one()
    assert tuple(override) == ("permission_override", shop.cashier.staff_id,
                               shop.manager.staff_id)


@pytest.mark.parametrize(("delta", "reason"), [
    (0, "correction"), (2 * UNIT, "damaged"), (-2 * UNIT, "received"), (UNIT, "sold_pos"),
    (UNIT, "teleported"), (1500, "correction"),  # 1.5 candles
])
def test_bad_adjustments_are_refused_and_write_nothing(
    shop: ShopFixture, delta: int, reason: str
) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    with pytest.raises((InvalidQuantity, ValidationError)):
        stock.adjust(shop.owner, candle, delta, reason)
    assert _movements(shop) == 0
    assert stock.on_hand(candle) == 0


def test_weighed_goods_take_decimals_up_to_their_precision(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    flour = _variant(shop, "Flour", unit="kg", precision=3)
    stock.receive(shop.owner, flour, 2_250)  # 2.250 kg
    stock.count(shop.owner, flour, 1_500)
    assert stock.on_hand(flour) == 1_500
    eggs = _variant(shop, "Eggs", precision=0)
    with pytest.raises(InvalidQuantity) as info:
        stock.receive(shop.owner, eggs, 500)
    assert "0.5" in info.value.user_message
    assert stock.on_hand(eggs) == 0


def test_receive_must_be_positive_and_count_not_negative(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    with pytest.raises(InvalidQuantity):
        stock.receive(shop.owner, candle, 0)
    with pytest.raises(InvalidQuantity):
        stock.count(shop.owner, candle, -UNIT)
    assert _movements(shop) == 0


def test_untracked_and_archived_variants_are_refused(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    coffee = _variant(shop, "Coffee to go", track_inventory=False)
    with pytest.raises(ValidationError) as info:
        stock.receive(shop.owner, coffee, UNIT)
    assert "does not track stock" in info.value.user_message
    candle = _variant(shop)
    catalog = CatalogService(shop.db)
    product_id = catalog.search("candle")[0].product_id
    catalog.archive_product(shop.owner, product_id)
    with pytest.raises(NotFound):
        stock.receive(shop.owner, candle, UNIT)
    with pytest.raises(NotFound):
        stock.adjust(shop.owner, "no-such-variant", UNIT, "received")
    assert _movements(shop) == 0


def test_stock_is_kept_per_location(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    candle = _variant(shop)
    stall = new_id()

    def add_location(tx: Tx) -> None:
        now = utc_now()
        tx.conn.execute(insert(locations), {"id": stall, "name": "Market stall",
                                            "is_default": False, "created_at": now,
                                            "updated_at": now})

    shop.db.write(add_location)
    stock.receive(shop.owner, candle, 4 * UNIT, location_id=stall)
    stock.receive(shop.owner, candle, UNIT)
    assert stock.on_hand(candle, stall) == 4 * UNIT
    assert stock.on_hand(candle) == UNIT
    assert stock.verify_on_hand(candle, stall).ok
    with pytest.raises(NotFound):
        stock.receive(shop.owner, candle, UNIT, location_id="gone")


def test_low_stock_lists_variants_at_or_below_their_level(shop: ShopFixture) -> None:
    stock = InventoryService(shop.db)
    low = _variant(shop, "Beeswax candle", sku="BEE", low_stock_threshold=3 * UNIT)
    fine = _variant(shop, "Soy candle", sku="SOY", low_stock_threshold=3 * UNIT)
    _variant(shop, "Tealight", sku="TEA")  # no threshold: never listed
    stock.receive(shop.owner, low, 3 * UNIT)
    stock.receive(shop.owner, fine, 4 * UNIT)
    items = stock.low_stock()
    assert [(i.name, i.sku, i.on_hand, i.threshold) for i in items] == [
        ("Beeswax candle", "BEE", 3 * UNIT, 3 * UNIT)]
    stock.adjust(shop.owner, fine, -UNIT, "shrinkage")
    assert {i.sku for i in stock.low_stock()} == {"BEE", "SOY"}
