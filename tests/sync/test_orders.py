"""Order actions: shown at once, sent through the outbox, reverted with the server's reason."""

from __future__ import annotations

import time
from typing import Any

import pytest

from local_db.writer import ChangeSet
from tests.sync.conftest import Till, pair
from tests.sync.faults import FaultTransport
from vendor_console.errors import ValidationError
from vendor_console.services.orders import OrderService


def local_order(till: Till, remote_id: str) -> tuple[str, str, str | None]:
    row = till.rows("SELECT id, status, server_status FROM orders WHERE remote_id = ?",
                    remote_id)[0]
    return row[0], row[1], row[2]


def server_status(till: Till, order_id: str) -> str:
    return str(till.vendor.client().get(f"/orders/{order_id}").json()["status"])


def test_accept_shows_at_once_and_reaches_the_server(till: Till,
                                                     stocked: dict[str, Any]) -> None:
    order = till.vendor.place_order(stocked["variant"])
    till.sync()
    oid, _, _ = local_order(till, order["id"])
    OrderService(till.db).act(oid, "accept", {"prep_minutes": 10})
    assert local_order(till, order["id"])[1] == "CONFIRMED"  # before any network
    assert till.scalar("SELECT server_status FROM orders WHERE id = ?", oid) == "PENDING"
    till.sync()
    assert server_status(till, order["id"]) == "CONFIRMED"
    assert local_order(till, order["id"])[1:] == ("CONFIRMED", "CONFIRMED")


def test_customer_cancel_race_reverts_with_the_explanation(till: Till,
                                                           stocked: dict[str, Any]) -> None:
    order = till.vendor.place_order(stocked["variant"])
    till.sync()
    oid, _, _ = local_order(till, order["id"])
    OrderService(till.db).act(oid, "accept", {"prep_minutes": 5})
    faults = FaultTransport()
    faults.add("customer_cancel_race", "POST", "/accept", times=1)
    commits: list[ChangeSet] = []
    till.db.subscribe(commits.append)
    result = till.sync(faults)
    assert result.dead_letters == 0 and result.pending == 0
    assert local_order(till, order["id"])[1:] == ("CANCELLED", "CANCELLED")
    issue = till.rows("SELECT kind, message FROM sync_issues WHERE resource_id = ?", oid)
    assert issue[0][0] == "order_reverted"
    assert "cancel" in issue[0][1].lower() and "accept" in issue[0][1].lower()
    # The revert's own commit tells the order queue (the feed's later copy of the same order
    # version is skipped as stale, so it cannot be what refreshes the page).
    revert = [c for c in commits if c.touches("outbox") and oid in c.changes.get("order", ())]
    assert revert and revert[0].touches("sync_issue")


def test_an_accept_is_never_sent_after_accept_by(till: Till, stocked: dict[str, Any]) -> None:
    r = till.vendor.server.http.post("/_test/orders", headers={"X-Test-Fault": "order_timeout=2"},
                                     json={"vendor_id": till.vendor.vendor_id, "lines": [
                                         {"variant_id": stocked["variant"], "quantity": "1"}]})
    assert r.status_code == 201, r.text
    order = r.json()
    till.sync()
    oid, _, _ = local_order(till, order["id"])
    OrderService(till.db).act(oid, "accept", {"prep_minutes": 5})  # queued in time (offline)
    time.sleep(2.2)  # the deadline passes while the till is offline
    faults = FaultTransport()
    till.sync(faults)
    assert not [p for m, p, s in faults.seen if p.endswith("/accept")]
    status = local_order(till, order["id"])[1]
    assert status in ("PENDING", "CANCELLED")  # the server's, never our optimistic CONFIRMED
    assert till.scalar("SELECT COUNT(*) FROM sync_issues WHERE kind = 'order_reverted'") == 1
    with pytest.raises(ValidationError):  # deadline passed (or the server cancelled it)
        OrderService(till.db).act(oid, "accept", {"prep_minutes": 5})


def test_the_till_refuses_an_accept_past_the_deadline(till: Till,
                                                     stocked: dict[str, Any]) -> None:
    from datetime import UTC, datetime, timedelta

    order = till.vendor.place_order(stocked["variant"])
    till.sync()
    oid, _, _ = local_order(till, order["id"])
    later = datetime.now(UTC) + timedelta(minutes=11)  # default window is 10 minutes
    with pytest.raises(ValidationError, match="deadline"):
        OrderService(till.db).act(oid, "accept", {"prep_minutes": 5}, now=later)
    assert till.scalar("SELECT COUNT(*) FROM outbox WHERE resource_type = 'order'") == 0


def test_two_tills_accept_and_reject_the_same_order(till: Till, stocked: dict[str, Any],
                                                    tmp_path: Any) -> None:
    from local_db.database import Database
    from tests.conftest import ShopFixture
    from vendor_console.services.shop import ShopDraft, create_shop

    db2 = Database.open(tmp_path / "till2.db")
    try:
        info = create_shop(db2, ShopDraft(name="Till two", currency="EUR"))
        shop2 = ShopFixture(db2, info.id, info.default_location_id, {}, till.shop.owner,
                            till.shop.manager, till.shop.cashier)
        till2 = pair(shop2, till.vendor, "Till 2")
        order = till.vendor.place_order(stocked["variant"])
        till.sync()
        till2.sync()
        OrderService(till.db).act(local_order(till, order["id"])[0], "accept",
                                  {"prep_minutes": 5})
        OrderService(till2.db).act(local_order(till2, order["id"])[0], "reject",
                                   {"reason_code": "TOO_BUSY"})
        till.sync()
        till2.sync()
        till.sync()
        assert server_status(till, order["id"]) == "CONFIRMED"
        assert local_order(till, order["id"])[1] == "CONFIRMED"
        assert local_order(till2, order["id"])[1] == "CONFIRMED"  # reverted to the truth
        assert till2.scalar("SELECT COUNT(*) FROM sync_issues WHERE kind = 'order_reverted'") == 1
    finally:
        db2.close()


def test_order_changes_from_the_feed_update_the_mirror(till: Till,
                                                       stocked: dict[str, Any]) -> None:
    order = till.vendor.place_order(stocked["variant"])
    till.sync()
    r = till.vendor.server.http.post(
        f"/_test/vendors/{till.vendor.vendor_id}/orders/{order['id']}/customer-cancel", json={})
    assert r.status_code in (200, 201), r.text
    till.sync()
    assert local_order(till, order["id"])[1] == "CANCELLED"
    history = till.scalar("SELECT COUNT(*) FROM order_status_history")
    assert history >= 2
