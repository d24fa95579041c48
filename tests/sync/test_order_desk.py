"""Order actions as the Orders page offers them, against the sandbox: every action's body,
bad input refused before anything is written, the sold-out marking on reject, the
acknowledgement sent once, the queue's lanes, countdown (server time) and offline reasons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.sync.conftest import Till
from vendor_console.errors import ValidationError
from vendor_console.services.order_desk import OrderDesk
from vendor_console.services.order_queue import (
    action_block,
    countdown_text,
    load_queue,
    seconds_left,
)


def placed(till: Till, variant: str, **extra: Any) -> tuple[dict[str, Any], str]:
    order = till.vendor.place_order(variant, **extra)
    till.sync()
    oid = till.scalar("SELECT id FROM orders WHERE remote_id = ?", order["id"])
    return order, str(oid)


def server(till: Till, order_id: str) -> dict[str, Any]:
    body: dict[str, Any] = till.vendor.client().get(f"/orders/{order_id}").json()
    return body


def outbox_rows(till: Till) -> int:
    return int(till.scalar("SELECT COUNT(*) FROM outbox WHERE resource_type = 'order'"))


def test_bad_input_is_refused_and_changes_nothing(till: Till, stocked: dict[str, Any]) -> None:
    _order, oid = placed(till, stocked["variant"])
    desk = OrderDesk(till.db)
    before = outbox_rows(till)
    with pytest.raises(ValidationError, match="between 1 and"):
        desk.accept(oid, 0)
    with pytest.raises(ValidationError, match="reason"):
        desk.reject(oid, "BECAUSE")
    with pytest.raises(ValidationError, match="sold out"):
        desk.reject(oid, "TOO_BUSY", mark_sold_out=True)
    with pytest.raises(ValidationError, match="cannot be"):
        desk.mark_ready(oid)  # still PENDING
    assert outbox_rows(till) == before
    assert till.scalar("SELECT status FROM orders WHERE id = ?", oid) == "PENDING"


def test_reject_marks_the_missing_items_sold_out(till: Till, stocked: dict[str, Any]) -> None:
    order, oid = placed(till, stocked["variant"])
    OrderDesk(till.db).reject(oid, "ITEM_UNAVAILABLE", "Out of rye today", mark_sold_out=True)
    assert till.scalar("SELECT status FROM orders WHERE id = ?", oid) == "CANCELLED"
    till.sync()
    doc = server(till, order["id"])
    assert doc["status"] == "CANCELLED"
    variant = stocked["api"].get(f"/products/{stocked['product']['id']}").json()["variants"][0]
    assert variant["availability"]["status"] == "SOLD_OUT"


def test_accept_adjust_dispatch_complete_reach_the_server(till: Till,
                                                          stocked: dict[str, Any]) -> None:
    order, oid = placed(till, stocked["variant"], fulfillment_type="DELIVERY")
    desk = OrderDesk(till.db)
    desk.accept(oid, 20)
    till.sync()
    first = server(till, order["id"])["fulfillment"]["estimated_ready_at"]
    desk.adjust_ready_time(oid, 45)
    till.sync()
    assert server(till, order["id"])["fulfillment"]["estimated_ready_at"] > first
    desk.mark_ready(oid)
    desk.dispatch(oid)
    desk.complete(oid)  # delivery: no pickup code
    till.sync()
    assert server(till, order["id"])["status"] == "COMPLETED"
    assert till.scalar("SELECT status FROM orders WHERE id = ?", oid) == "COMPLETED"


def test_acknowledged_once_even_when_shown_again(till: Till, stocked: dict[str, Any]) -> None:
    order, oid = placed(till, stocked["variant"])
    desk = OrderDesk(till.db)
    assert desk.acknowledge_shown([oid, oid]) == [oid]
    assert desk.acknowledge_shown([oid]) == []
    till.sync()
    assert server(till, order["id"])["acknowledged_at"] is not None
    till.sync()
    assert desk.acknowledge_shown([oid]) == []
    assert till.scalar("SELECT COUNT(*) FROM outbox WHERE operation = 'acknowledge'") == 1


def test_queue_lanes_countdown_in_server_time_and_offline_reasons(
        till: Till, stocked: dict[str, Any]) -> None:
    _order, oid = placed(till, stocked["variant"], note="gluten-free if you can")
    snapshot = load_queue(till.db)
    card = snapshot.find(oid)
    assert card is not None and card.lane == "new" and card.customer_note
    assert [c.id for c in snapshot.lane("new")] == [oid]
    assert card.accept_by is not None
    now = card.accept_by - timedelta(seconds=90)
    assert seconds_left(card, 0, now) == 90
    # The marketplace's clock runs 30 s ahead of ours: 30 s less to accept.
    assert seconds_left(card, 30_000, now) == 60
    assert countdown_text(60) == "1:00 left to accept"
    assert action_block(card, "accept", online=True, skew_ms=0, now=now) is None
    offline = action_block(card, "accept", online=False, skew_ms=0, now=now)
    assert offline is not None and "Offline" in offline
    assert action_block(card, "reject", online=False, skew_ms=0, now=now) == offline
    late = action_block(card, "accept", online=True, skew_ms=0,
                        now=card.accept_by + timedelta(seconds=1))
    assert late is not None and "passed" in late
    assert action_block(card, "dispatch", online=True, skew_ms=0, now=now) is not None


def test_cancel_with_a_reason_reaches_the_server(till: Till, stocked: dict[str, Any]) -> None:
    order, oid = placed(till, stocked["variant"])
    desk = OrderDesk(till.db)
    desk.accept(oid, 10)
    desk.start_preparing(oid)
    desk.cancel(oid, "CLOSING_EARLY", "Oven broke down")
    assert till.scalar("SELECT status FROM orders WHERE id = ?", oid) == "CANCELLED"
    till.sync()
    doc = server(till, order["id"])
    assert doc["status"] == "CANCELLED"
    last = doc["status_history"][-1]
    assert last["reason_code"] == "CLOSING_EARLY"
