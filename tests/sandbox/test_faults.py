"""Fault knobs (X-Test-Fault), store presence, pauses that end, and a few edge cases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from tests.sandbox.conftest import BASE, Sandbox, Vendor, key, make_product
from tests.sandbox.test_api import _change, _read_events, feed_after, head, iso


def fault(spec: str) -> dict[str, str]:
    return {"X-Test-Fault": spec}


def wait_for(api: httpx.Client, cursor: str, type_: str) -> dict[str, object]:
    """Follow the feed (long-poll) until a change of this type arrives."""
    for _ in range(20):
        page = feed_after(api, cursor, wait=10)
        for change in page["data"]:
            if change["type"] == type_:
                return dict(change)
        cursor = page["next_cursor"]
    raise AssertionError(f"no {type_} change arrived")


def test_unknown_fault_is_rejected(api: httpx.Client) -> None:
    r = api.get("/me", headers=fault("meteor_strike"))
    assert r.status_code == 400 and r.json()["code"] == "malformed_request"


def test_rate_limit_and_overload_are_not_stored(api: httpx.Client) -> None:
    headers = key()
    body = {"name": "Stall"}
    r = api.post("/locations", headers={**headers, **fault("rate_limit=2.5")}, json=body)
    assert r.status_code == 429 and r.headers["retry-after"] == "2.5"
    assert "ratelimit" in r.headers
    r = api.post("/locations", headers={**headers, **fault("rate_limit=absent")}, json=body)
    assert r.status_code == 429 and "retry-after" not in r.headers
    r = api.post("/locations", headers={**headers, **fault("overload")}, json=body)
    assert r.status_code == 503 and r.json()["code"] == "temporarily_unavailable"
    assert r.headers["retry-after"] == "1"
    r = api.post("/locations", headers=headers, json=body)
    assert r.status_code == 201 and "idempotent-replayed" not in r.headers


def test_commit_then_500_replays_the_committed_result(api: httpx.Client) -> None:
    headers = key()
    body = {"name": "Once", "client_ref": str(uuid.uuid4())}
    r = api.post("/products", headers={**headers, **fault("commit_then_500")}, json=body)
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    r = api.post("/products", headers=headers, json=body)
    assert r.status_code == 201 and r.headers["idempotent-replayed"] == "true"
    found = api.get("/products", params={"client_ref": body["client_ref"]}).json()["data"]
    assert [p["id"] for p in found] == [r.json()["id"]]


def test_slow_response_after_commit_is_safe_to_retry(vendor: Vendor) -> None:
    impatient = httpx.Client(base_url=vendor.server.url + BASE, timeout=0.2,
                             headers={"Authorization": f"Bearer {vendor.api_key}"})
    headers = key()
    body = {"name": "Slowly", "client_ref": str(uuid.uuid4())}
    with impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post("/products", headers={**headers, **fault("slow=1")}, json=body)
    r = vendor.client().post("/products", headers=headers, json=body)
    assert r.status_code in (201, 409)  # replayed, or still running (retry later)
    if r.status_code == 201:
        assert r.headers["idempotent-replayed"] == "true"


def test_concurrent_edit_makes_if_match_stale(api: httpx.Client) -> None:
    product = make_product(api)
    url = f"/products/{product['id']}"
    cursor = head(api)
    etag = api.get(url).headers["etag"]
    r = api.patch(url, headers={**key(), "If-Match": etag, **fault("concurrent_edit")},
                  json={"name": "Mine"})
    assert r.status_code == 412 and r.json()["current_version"] == int(etag.strip('"')) + 1
    edits = feed_after(api, cursor)["data"]
    assert edits[0]["actor"]["type"] == "dashboard"


def test_stream_faults(api: httpx.Client) -> None:
    start = head(api)
    make_product(api, name="A", track=False)
    with api.stream("GET", "/events/stream", headers={
            "Last-Event-ID": start, **fault("dup_events")}) as r:
        events = _read_events(r, 2)
    assert events[0]["id"] == events[1]["id"]
    with api.stream("GET", "/events/stream", headers={
            "Last-Event-ID": start, **fault("reorder_events")}) as r:
        events = _read_events(r, 2)
    assert events[0]["id"] > events[1]["id"]
    with api.stream("GET", "/events/stream", headers={
            "Last-Event-ID": start, **fault("drop_stream")}) as r:
        assert _read_events(r, 1) == []
    with api.stream("GET", "/events/stream", headers={
            "Last-Event-ID": start, **fault("expire_cursor")}) as r:
        assert _read_events(r, 1)[0]["event"] == "resync_required"
    r2 = api.get("/changes", params={"after": start}, headers=fault("expire_cursor"))
    assert r2.status_code == 410


def test_partial_batch_and_schema_drift(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api)["variants"][0]["id"]
    now = datetime.now(UTC)
    changes = [_change(vendor, variant_id, "ADJUSTMENT", "1", now) for _ in range(2)]
    r = api.post("/inventory/changes", headers={**key(), **fault("partial_batch")},
                 json={"changes": changes})
    assert [x["status"] for x in r.json()["results"]] == ["applied", "rejected"]
    r = api.get("/changes", headers=fault("schema_drift"))
    page = r.json()
    assert "x_new_field" in page and "x_new_field" in page["data"][0]
    assert len(page["server_time"].split(".")[1]) == 10  # 9 digits + Z
    assert datetime.fromisoformat(page["server_time"]).tzinfo is not None


def test_token_expiry_refresh_and_replay_with_same_key(sandbox: Sandbox,
                                                       vendor: Vendor) -> None:
    till, tokens = vendor.device()
    headers = key()
    body = {"name": "After refresh"}
    r = till.post("/locations", headers={**headers, **fault("token_expiry")}, json=body)
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    fresh = sandbox.http.post(BASE + "/auth/refresh",
                              json={"refresh_token": tokens["refresh_token"]}).json()
    r = vendor.client(fresh["access_token"]).post("/locations", headers=headers, json=body)
    assert r.status_code == 201 and "idempotent-replayed" not in r.headers


def test_clock_skew_shifts_what_the_server_says(api: httpx.Client) -> None:
    normal = api.get("/me")
    skewed = api.get("/me", headers=fault("clock_skew=-30"))
    said = datetime.fromisoformat(skewed.json()["server_time"])
    real = datetime.fromisoformat(normal.json()["server_time"])
    assert timedelta(minutes=-31) < said - real < timedelta(minutes=-29)
    date = parsedate_to_datetime(skewed.headers["date"])
    assert timedelta(minutes=-31) < date - real < timedelta(minutes=-29)


def test_customer_cancel_race_and_order_timeout(sandbox: Sandbox, vendor: Vendor,
                                                api: httpx.Client) -> None:
    variant_id = make_product(api, track=False)["variants"][0]["id"]
    order = vendor.place_order(variant_id)
    r = api.post(f"/orders/{order['id']}/accept",
                 headers={**key(), **fault("customer_cancel_race")}, json={"prep_minutes": 5})
    assert r.status_code == 409 and r.json()["current_status"] == "CANCELLED"
    r = sandbox.http.post("/_test/orders", headers=fault("order_timeout=42"), json={
        "vendor_id": vendor.vendor_id, "lines": [{"variant_id": variant_id}]})
    quick = r.json()
    window = (datetime.fromisoformat(quick["accept_by"])
              - datetime.fromisoformat(quick["created_at"]))
    assert timedelta(seconds=41) < window < timedelta(seconds=43)


def test_presence_auto_pause_and_resume(sandbox: Sandbox) -> None:
    vendor = sandbox.new_vendor()
    api = vendor.client()  # an API key is not a device: it does not count as presence
    cursor = head(api)
    etag = api.get("/vendor").headers["etag"]
    always = [{"day": d, "open": "00:00", "close": "24:00"}
              for d in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")]
    r = api.put("/vendor/hours", headers={**key(), "If-Match": etag}, json={"hours": always})
    assert r.status_code == 200, r.text
    paused = wait_for(api, cursor, "vendor.paused")
    assert paused["data"]["pause"]["reason"] == "NO_DEVICE_ONLINE"  # type: ignore[index]
    cursor = head(api)
    till, _ = vendor.device()
    assert till.get("/me").status_code == 200
    assert wait_for(api, cursor, "vendor.resumed")["actor"] == {"type": "system", "id": None}


def test_pause_until_ends_by_itself(api: httpx.Client) -> None:
    cursor = head(api)
    until = iso(datetime.now(UTC) + timedelta(milliseconds=300))
    r = api.post("/vendor/pause", headers=key(),
                 json={"mode": "PAUSED", "until": until, "reason": "TOO_BUSY"})
    assert r.status_code == 200 and r.json()["pause"]["state"] == "PAUSED"
    resumed = wait_for(api, cursor, "vendor.resumed")
    assert resumed["data"]["pause"]["state"] == "ONLINE"  # type: ignore[index]


def test_chunked_body_over_the_limit_is_413(api: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b" " * 65_536

    r = api.post("/products", headers={**key(), "Content-Type": "application/json"},
                 content=chunks())
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
