"""Stock travels as ledger entries: edits as ADJUSTMENT deltas, counts as PHYSICAL_COUNT with
the expected value; local on-hand = the server's level + unacknowledged local movements."""

from __future__ import annotations

from typing import Any

from tests.sync.conftest import Till
from tests.sync.helpers import local_on_hand, server_on_hand
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.inventory import InventoryService


def test_edits_go_as_deltas_and_counts_with_the_expected_value(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    inventory = InventoryService(till.db)
    inventory.receive(till.shop.owner, variant, 5 * QTY_SCALE)
    inventory.count(till.shop.owner, variant, 12 * QTY_SCALE)  # expected 15 locally
    # Meanwhile an online order is completed on the server: 1 leaves the shelf.
    api = stocked["api"]
    order = till.vendor.place_order(stocked["variant"], "1")
    for action in ("accept", "mark-ready", "complete"):
        body = {"prep_minutes": 5} if action == "accept" else {}
        r = api.post(f"/orders/{order['id']}/{action}", json=body,
                     headers={"Idempotency-Key": action + order["id"]})
        assert r.status_code == 200, r.text
    assert local_on_hand(till, variant) == 12 * QTY_SCALE  # server 10 + unacked (+5, -3)
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    ledger = api.get("/inventory/changes", params={"variant_id": stocked["variant"]}).json()
    mine = [e for e in ledger["data"] if e["actor"]["type"] == "device"]
    assert [(e["type"], e.get("delta"), e.get("quantity")) for e in mine] == [
        ("ADJUSTMENT", "5", None), ("PHYSICAL_COUNT", None, "12")]
    # The count was taken before the order left: later adjustments still apply on top of it.
    assert server_on_hand(api, stocked["variant"]) == "11"
    assert local_on_hand(till, variant) == 11 * QTY_SCALE
    assert till.scalar("SELECT COUNT(*) FROM stock_movements WHERE acknowledged_at IS NULL") == 0
