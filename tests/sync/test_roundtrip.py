"""The basic round trip against the real sandbox: pair, bootstrap, sell, push, pull."""

from __future__ import annotations

from typing import Any

from tests.sync.conftest import Till
from tests.sync.helpers import sell
from vendor_console.quantities import QTY_SCALE


def test_bootstrap_mirrors_the_catalog_stock_and_orders(till: Till,
                                                        stocked: dict[str, Any]) -> None:
    order = till.vendor.place_order(stocked["variant"], "2")
    till.sync()
    variant = till.variant(stocked["variant"])
    assert till.scalar("SELECT on_hand FROM stock_levels WHERE variant_id = ?",
                       variant) == 10 * QTY_SCALE
    assert till.scalar("SELECT status FROM orders WHERE remote_id = ?", order["id"]) == "PENDING"
    assert till.scalar("SELECT COUNT(*) FROM order_lines") == 1
    assert till.scalar("SELECT remote_id FROM locations WHERE is_default") == \
        till.vendor.location_id


def test_a_counter_sale_reaches_the_server_once_with_its_stock(till: Till,
                                                               stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    sale_id = sell(till, variant, 3)
    assert till.scalar("SELECT on_hand FROM stock_levels WHERE variant_id = ?",
                       variant) == 7 * QTY_SCALE
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    api = stocked["api"]
    level = api.get("/inventory/levels", params={"variant_id": stocked["variant"]}).json()
    assert level["data"][0]["on_hand"] == "7"  # carried by POST /sales, not subtracted twice
    changes = api.get("/changes", params={"types": "sale"}).json()["data"]
    sales = [c for c in changes if c["resource_type"] == "sale"]
    assert [s["data"]["sale_id"] for s in sales] == [sale_id]
    assert till.scalar("SELECT on_hand FROM stock_levels WHERE variant_id = ?",
                       variant) == 7 * QTY_SCALE
    assert till.scalar("SELECT COUNT(*) FROM stock_movements WHERE acknowledged_at IS NULL") == 0
