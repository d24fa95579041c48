"""Store controls and review replies through the outbox to the sandbox: pause (reason,
until), busy mode, resume, opening hours, special days, a reply; bad input changes nothing;
the store state and reviews read back as the window shows them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync.client import ApiClient
from sync.store_reads import fetch_reviews, fetch_store
from tests.sync.conftest import Till
from vendor_console.errors import ValidationError
from vendor_console.services.store_controls import StoreControls


def vendor_doc(till: Till) -> dict[str, Any]:
    body: dict[str, Any] = till.vendor.client().get("/vendor").json()
    return body


def outbox_rows(till: Till) -> int:
    return int(till.scalar("SELECT COUNT(*) FROM outbox"))


def test_bad_input_changes_nothing(till: Till) -> None:
    controls = StoreControls(till.db)
    for call in (lambda: controls.pause("BORED"),
                 lambda: controls.pause("TOO_BUSY", datetime.now(UTC) - timedelta(hours=1)),
                 lambda: controls.busy(0), lambda: controls.busy(500),
                 lambda: controls.set_hours("monday 9-5"),
                 lambda: controls.set_hours("mon 17:00-09:00"),
                 lambda: controls.set_special_days("2026-02-30 closed"),
                 lambda: controls.reply_to_review("rev_1", "  ")):
        with pytest.raises(ValidationError):
            call()
    assert outbox_rows(till) == 0


def test_pause_busy_resume_hours_and_special_days_reach_the_marketplace(till: Till) -> None:
    controls = StoreControls(till.db)
    until = datetime.now(UTC) + timedelta(hours=2)
    controls.pause("TOO_BUSY", until)
    till.sync()
    doc = vendor_doc(till)
    assert doc["pause"]["state"] == "PAUSED" and doc["pause"]["reason"] == "TOO_BUSY"
    assert doc["pause"]["until"] is not None
    controls.resume()
    controls.busy(20)
    till.sync()
    doc = vendor_doc(till)
    assert doc["pause"]["state"] == "ONLINE" and doc["busy"]["extra_prep_minutes"] == 20
    controls.set_hours("mon 09:00-17:30\nsat 10:00-14:00")
    controls.set_special_days("2026-12-24 closed Christmas Eve\n2026-12-31 10:00-14:00")
    till.sync()
    doc = vendor_doc(till)
    assert [(h["day"], h["open"], h["close"]) for h in doc["hours"]] == [
        ("MON", "09:00", "17:30"), ("SAT", "10:00", "14:00")]
    assert doc["special_hours"][0]["closed"] and doc["special_hours"][1]["open"] == "10:00"
    assert till.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'DEAD'") == 0

    async def read() -> Any:
        client = ApiClient(till.vendor.server.url, till.store)
        try:
            return await fetch_store(client)
        finally:
            await client.aclose()

    state = asyncio.run(read())
    assert state.summary() == "Busy: +20 min"
    assert state.hours_text() == "mon 09:00-17:30\nsat 10:00-14:00"
    assert "2026-12-24 closed Christmas Eve" in state.special_days_text()


def test_reviews_are_listed_and_a_reply_is_synced(till: Till, stocked: dict[str, Any]) -> None:
    http = till.vendor.server.http
    for rating, text in ((5, "Lovely bread"), (2, "Cold when it arrived.")):
        r = http.post("/_test/reviews", json={"vendor_id": till.vendor.vendor_id,
                                              "rating": rating, "text": text,
                                              "customer_name": "Ana P."})
        assert r.status_code == 201, r.text

    async def read() -> Any:
        client = ApiClient(till.vendor.server.url, till.store)
        try:
            return await fetch_reviews(client)
        finally:
            await client.aclose()

    reviews = asyncio.run(read())
    assert sorted(r.rating for r in reviews) == [2, 5]
    low = next(r for r in reviews if r.rating == 2)
    assert low.reply is None and low.customer == "Ana P."
    StoreControls(till.db).reply_to_review(low.id, "Sorry — we'll pack it better.")
    till.sync()
    again = asyncio.run(read())
    assert next(r for r in again if r.id == low.id).reply == "Sorry — we'll pack it better."
