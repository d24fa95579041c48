"""Reviews and the store's state mirrored in the local database by the sync pull, against the
real sandbox: listed at bootstrap, then brought by the change feed (review and vendor changes,
whoever made them); a till bootstrapped before the mirror existed lists them once; a reply
queued here reads as pending until the marketplace's answer is back in the mirror."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from local_db.writer import Tx
from tests.sandbox.conftest import key
from tests.sync.conftest import Till
from vendor_console.services.store_controls import StoreControls
from vendor_console.services.store_mirror import read_reviews, read_store


def leave_review(till: Till, rating: int, text: str) -> dict[str, Any]:
    r = till.vendor.server.http.post("/_test/reviews", json={
        "vendor_id": till.vendor.vendor_id, "rating": rating, "text": text,
        "customer_name": "Ana P."})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_reviews_and_store_state_arrive_in_the_mirror(till: Till) -> None:
    first = leave_review(till, 5, "Lovely bread")
    till.sync()  # bootstrap: the vendor document and the reviews are listed
    state = read_store(till.db)
    assert state is not None and state.summary() == "Open"
    assert state.hours == () and state.special_days == ()
    assert [(r.id, r.rating, r.text, r.customer, r.reply) for r in read_reviews(till.db)] == [
        (first["id"], 5, "Lovely bread", "Ana P.", None)]

    # Another device changes the store, a customer reviews, another device replies.
    other = till.vendor.client()
    version = other.get("/vendor").json()["version"]
    r = other.put("/vendor/hours", headers=key() | {"If-Match": f'"{version}"'},
                  json={"hours": [{"day": "MON", "open": "09:00", "close": "17:30"}]})
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    r = other.put("/vendor/special-hours", headers=key() | {"If-Match": f'"{version}"'},
                  json={"special_hours": [{"date": "2026-12-24", "closed": True,
                                           "note": "Christmas Eve"}]})
    assert r.status_code == 200, r.text
    until = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    r = other.post("/vendor/pause", headers=key(), json={
        "mode": "PAUSED", "reason": "TOO_BUSY", "until": until.isoformat()})
    assert r.status_code == 200, r.text
    second = leave_review(till, 2, "Cold when it arrived.")
    r = other.post(f"/reviews/{second['id']}/reply", headers=key(),
                   json={"text": "Sorry, we'll pack it better."})
    assert r.status_code == 200, r.text
    till.sync()  # the feed

    state = read_store(till.db)
    assert state is not None
    assert (state.state, state.reason) == ("PAUSED", "TOO_BUSY")
    assert state.until is not None
    assert datetime.fromisoformat(state.until.replace("Z", "+00:00")) == until
    assert state.hours_text() == "mon 09:00-17:30"
    assert state.special_days_text() == "2026-12-24 closed Christmas Eve"
    reviews = read_reviews(till.db)
    assert [r.id for r in reviews] == [second["id"], first["id"]]  # newest first
    assert reviews[0].reply == "Sorry, we'll pack it better." and reviews[0].rating == 2
    assert till.scalar("SELECT replied_at IS NOT NULL FROM reviews WHERE remote_id = ?",
                       second["id"]) == 1

    r = other.post("/vendor/pause", headers=key(), json={
        "mode": "BUSY", "reason": "TOO_BUSY", "extra_prep_minutes": 20})
    assert r.status_code == 200, r.text
    till.sync()
    state = read_store(till.db)
    assert state is not None and state.busy_minutes == 20


def test_a_till_synced_before_the_mirror_existed_lists_them_once(till: Till) -> None:
    review = leave_review(till, 4, "Good")
    till.sync()
    # As a till upgraded to the mirror finds itself: a feed cursor, nothing mirrored.
    till.db.write(lambda tx: tx.conn.exec_driver_sql("DELETE FROM store_state"))
    till.db.write(lambda tx: tx.conn.exec_driver_sql("DELETE FROM reviews"))
    assert read_store(till.db) is None and read_reviews(till.db) == []
    till.sync()
    assert read_store(till.db) is not None
    assert [r.id for r in read_reviews(till.db)] == [review["id"]]


def test_a_reply_is_pending_until_the_marketplace_acknowledges_it(till: Till) -> None:
    review = leave_review(till, 1, "Order was wrong.")
    till.sync()
    StoreControls(till.db).reply_to_review(review["id"], "So sorry — refunded.")
    (shown,) = read_reviews(till.db)
    assert (shown.reply, shown.pending_reply) == (None, "So sorry — refunded.")
    till.sync()
    (shown,) = read_reviews(till.db)
    assert (shown.reply, shown.pending_reply) == ("So sorry — refunded.", None)


def test_a_reply_the_mirror_already_holds_is_not_pending_whatever_the_write_order(
        till: Till) -> None:
    """The long-poll fallback applies the feed beside the sender: the replied review can be
    mirrored before the outbox row is marked sent (sent_at later than the review's update)."""
    review = leave_review(till, 4, "Lovely bread.")
    till.sync()
    StoreControls(till.db).reply_to_review(review["id"], "Thank you!")
    till.sync()

    def later(tx: Tx) -> None:
        tx.conn.exec_driver_sql(
            "UPDATE outbox SET sent_at = '9999-01-01T00:00:00.000000Z' "
            "WHERE resource_type = 'review' AND operation = 'reply'")

    till.db.write(later)
    (shown,) = read_reviews(till.db)
    assert (shown.reply, shown.pending_reply) == ("Thank you!", None)
