"""Contract rules over real HTTP: auth, idempotency, preconditions, feed, SSE, inventory,
sales, orders, bad input."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.sandbox.conftest import BASE, Sandbox, Vendor, key, make_product


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def feed_after(client: httpx.Client, cursor: str, **params: Any) -> dict[str, Any]:
    r = client.get("/changes", params={"after": cursor, **params})
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


def head(client: httpx.Client) -> str:
    cursor: str = client.get("/changes/head").json()["cursor"]
    return cursor


# --- auth ----------------------------------------------------------------------------------

def test_device_auth_refresh_rotation_and_revocation(sandbox: Sandbox, vendor: Vendor) -> None:
    till, tokens = vendor.device("Till 1")
    other, _ = vendor.device("Till 2")
    assert till.get("/me").json()["device"]["id"] == tokens["device_id"]
    assert tokens["expires_in"] > 0
    r = sandbox.http.post(BASE + "/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200, r.text
    rotated = r.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert rotated["device_id"] == tokens["device_id"]
    # The old refresh token was rotated away: replaying it revokes the device (theft signal).
    r = sandbox.http.post(BASE + "/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "token_revoked"
    r = till.get("/me")
    assert r.status_code == 401 and r.json()["code"] == "token_revoked"
    assert other.get("/me").status_code == 200  # other devices stay signed in
    bad = vendor.client("mat_nonsense")
    r = bad.get("/me")
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["request_id"] == r.headers["x-request-id"]
    assert "ratelimit" in r.headers and "date" in r.headers


def test_pairing_code_and_explicit_revoke(sandbox: Sandbox, vendor: Vendor) -> None:
    r = sandbox.http.post(BASE + "/auth/device", json={"pairing_code": vendor.pairing_code})
    assert r.status_code == 201, r.text
    till = vendor.client(r.json()["access_token"])
    api = vendor.client()
    r = api.post(f"/devices/{r.json()['device_id']}/revoke", headers=key())
    assert r.status_code == 200, r.text
    assert till.get("/me").json()["code"] == "token_revoked"


# --- idempotency ---------------------------------------------------------------------------

def test_idempotent_replay_and_reuse(api: httpx.Client) -> None:
    body = {"name": "Rye", "client_ref": str(uuid.uuid4()),
            "variants": [{"price": {"amount": 500, "currency": "EUR"}}]}
    headers = key()
    first = api.post("/products", headers=headers, json=body)
    assert first.status_code == 201
    again = api.post("/products", headers=headers, json=body)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    reused = api.post("/products", headers=headers, json={**body, "name": "Other"})
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    # A new key with the same client_ref cannot double-create.
    dup = api.post("/products", headers=key(), json=body)
    assert dup.status_code == 409
    assert dup.json()["code"] == "duplicate_client_ref"
    assert dup.json()["existing_id"] == first.json()["id"]


def test_idempotency_key_in_use_while_first_runs(sandbox: Sandbox, vendor: Vendor) -> None:
    api = vendor.client()
    headers = {**key(), "X-Test-Hold-Commit": "in-use"}
    body = {"name": "Held", "variants": []}
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(api.post, "/products", headers=headers, json=body)
        assert sandbox.http.post("/_test/holds/in-use/wait").status_code == 200
        second = vendor.client().post("/products", headers=headers, json=body)
        assert second.status_code == 409
        assert second.json()["code"] == "idempotency_key_in_use"
        assert int(second.headers["retry-after"]) >= 1
        sandbox.http.post("/_test/holds/in-use/release")
        assert first.result().status_code == 201


def test_rate_limit_429_is_not_stored(sandbox: Sandbox) -> None:
    vendor = sandbox.new_vendor(rate_quota=3, rate_window=60)
    api = vendor.client()
    headers = key()
    statuses = []
    for _ in range(4):
        r = api.get("/me")
        statuses.append(r.status_code)
        assert "ratelimit-policy" in r.headers and "ratelimit" in r.headers
    assert statuses == [200, 200, 200, 429]
    r = api.post("/locations", headers=headers, json={"name": "Stall"})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1
    assert r.json()["code"] == "quota_exceeded"
    sandbox.http.post("/_test/vendors", json={})  # unrelated traffic does not refill it
    # The refused write left no trace under its key: nothing replays, nothing was created.
    assert vendor.client().get("/locations").status_code == 429


# --- preconditions -------------------------------------------------------------------------

def test_if_match_required_and_stale(api: httpx.Client) -> None:
    product = make_product(api)
    url = f"/products/{product['id']}"
    r = api.patch(url, headers=key(), json={"name": "New"})
    assert r.status_code == 428 and r.json()["code"] == "precondition_required"
    etag = api.get(url).headers["etag"]
    r = api.patch(url, headers={**key(), "If-Match": etag},
                  json={"name": "New", "description": None})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "New"
    r = api.patch(url, headers={**key(), "If-Match": etag}, json={"name": "Newer"})
    assert r.status_code == 412
    assert r.json()["code"] == "version_mismatch"
    assert r.json()["current_version"] == int(api.get(url).headers["etag"].strip('"'))
    r = api.delete(url, headers={**key(), "If-Match": api.get(url).headers["etag"]})
    assert r.status_code == 200 and r.json()["deleted"] is True
    assert api.get(url).status_code == 404


# --- feed and SSE --------------------------------------------------------------------------

def test_feed_order_versions_and_tombstones(api: httpx.Client) -> None:
    start = head(api)
    product = make_product(api)
    url = f"/products/{product['id']}"
    api.patch(url, headers={**key(), "If-Match": api.get(url).headers["etag"]},
              json={"name": "Renamed"})
    api.delete(url, headers={**key(), "If-Match": api.get(url).headers["etag"]})
    page = feed_after(api, start, types="product")
    versions = [(c["type"], c["resource_version"]) for c in page["data"]]
    assert versions == [("product.created", 1), ("product.updated", 2),
                        ("product.updated", 3), ("product.deleted", 4)]
    assert page["data"][-1]["data"]["deleted"] is True
    assert page["server_time"].endswith("Z")
    cursors = [c["cursor"] for c in feed_after(api, start)["data"]]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    assert feed_after(api, page["next_cursor"])["data"] == []


def test_long_poll_wakes_on_change(vendor: Vendor) -> None:
    api, writer = vendor.client(), vendor.client()
    cursor = head(api)
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(api.get, "/changes", params={"after": cursor, "wait": 25})
        make_product(writer)
        r = waiting.result()
    assert r.status_code == 200
    assert r.json()["data"][0]["type"] == "product.created"


def test_expired_cursor_is_410(sandbox: Sandbox, vendor: Vendor) -> None:
    api = vendor.client()
    old = head(api)
    make_product(api)
    newest = head(api)
    r = sandbox.http.post(f"/_test/vendors/{vendor.vendor_id}/feed/prune",
                          json={"through_cursor": newest})
    assert r.status_code == 200
    r = api.get("/changes", params={"after": old})
    assert r.status_code == 410 and r.json()["code"] == "cursor_expired"
    assert api.get("/changes", params={"after": newest}).status_code == 200
    assert api.get("/changes", params={"after": "nonsense"}).status_code == 400


def _read_events(response: httpx.Response, count: int) -> list[dict[str, str]]:
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in response.iter_lines():
        if line == "":
            if "data" in current or "event" in current:
                events.append(current)
                if len(events) == count:
                    break
            current = {}
        elif line.startswith(":"):
            current.setdefault("comment", line)
            if count == 0:
                events.append({"comment": line})
                break
        else:
            name, _, value = line.partition(":")
            current[name] = value.lstrip(" ")
    return events


def test_sse_resume_with_last_event_id_and_resync(sandbox: Sandbox, vendor: Vendor) -> None:
    api = vendor.client()
    start = head(api)
    first = make_product(api, name="One")
    make_product(api, name="Two")
    with api.stream("GET", "/events/stream", headers={"Last-Event-ID": start}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _read_events(response, 2)
    assert events[0]["event"] == "product.created"
    assert first["id"] in events[0]["data"]
    with api.stream("GET", "/events/stream", headers={"Last-Event-ID": events[0]["id"]}) as resp:
        resumed = _read_events(resp, 1)
    assert resumed[0]["id"] == events[1]["id"]
    with api.stream("GET", "/events/stream") as resp:  # live only: heartbeat comes
        assert _read_events(resp, 0)[0]["comment"].startswith(": keep-alive")
    sandbox.http.post(f"/_test/vendors/{vendor.vendor_id}/feed/prune",
                      json={"through_cursor": head(api)})
    with api.stream("GET", "/events/stream", headers={"Last-Event-ID": start}) as resp:
        assert _read_events(resp, 1)[0]["event"] == "resync_required"


def test_reader_never_skips_a_slower_writer(sandbox: Sandbox, vendor: Vendor) -> None:
    api = vendor.client()
    cursor = head(api)
    body = {"name": "Slow", "variants": []}
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(vendor.client().post, "/products",
                           headers={**key(), "X-Test-Hold-Commit": "slow-writer"}, json=body)
        assert sandbox.http.post("/_test/holds/slow-writer/wait").status_code == 200
        fast = pool.submit(vendor.client().post, "/products", headers=key(),
                           json={"name": "Fast", "variants": []})
        # While the slow writer holds its transaction open, the feed shows neither change.
        assert feed_after(api, cursor)["data"] == []
        sandbox.http.post("/_test/holds/slow-writer/release")
        slow_id, fast_id = slow.result().json()["id"], fast.result().json()["id"]
    seen = [c["resource_id"] for c in feed_after(api, cursor, types="product")["data"]]
    assert seen == [slow_id, fast_id]


# --- inventory -----------------------------------------------------------------------------

def _change(vendor: Vendor, variant_id: str, type_: str, amount: str, at: datetime,
            **extra: Any) -> dict[str, Any]:
    field = "delta" if type_ == "ADJUSTMENT" else "quantity"
    return {"client_change_id": str(uuid.uuid4()), "type": type_, "variant_id": variant_id,
            "location_id": vendor.location_id, field: amount, "occurred_at": iso(at),
            "reason": "count" if type_ == "PHYSICAL_COUNT" else "received", **extra}


def _on_hand(api: httpx.Client, variant_id: str) -> str:
    levels = api.get("/inventory/levels", params={"variant_id": variant_id}).json()["data"]
    on_hand: str = levels[0]["on_hand"]
    return on_hand


def test_counts_and_adjustments_order_by_occurred_at(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api)["variants"][0]["id"]
    now = datetime.now(UTC)
    batch = [
        _change(vendor, variant_id, "ADJUSTMENT", "24", now - timedelta(hours=10)),
        _change(vendor, variant_id, "PHYSICAL_COUNT", "17", now - timedelta(hours=2)),
        _change(vendor, variant_id, "ADJUSTMENT", "-1", now - timedelta(hours=1),
                reason="damaged"),
    ]
    r = api.post("/inventory/changes", headers=key(), json={"changes": batch})
    assert [x["status"] for x in r.json()["results"]] == ["applied"] * 3
    assert _on_hand(api, variant_id) == "16"
    # An offline sale from before the count arrives late: the count already includes it.
    late = _change(vendor, variant_id, "ADJUSTMENT", "-2", now - timedelta(hours=3),
                   reason="sold_pos")
    r = api.post("/inventory/changes", headers=key(), json={"changes": [late, batch[0]]})
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["applied", "duplicate"]
    assert _on_hand(api, variant_id) == "16"
    mismatch = _change(vendor, variant_id, "ADJUSTMENT", "-1", now, expected_on_hand="99")
    bad = {**_change(vendor, variant_id, "ADJUSTMENT", "-1", now), "variant_id": "var_missing"}
    r = api.post("/inventory/changes", headers=key(), json={"changes": [mismatch, bad]})
    assert [x["status"] for x in r.json()["results"]] == ["rejected", "rejected"]
    assert r.json()["results"][0]["problem"]["code"] == "quantity_mismatch"
    ledger = api.get("/inventory/changes", params={"variant_id": variant_id}).json()["data"]
    assert len(ledger) == 4


def test_fifty_concurrent_adjustments_sum_exactly(vendor: Vendor) -> None:
    api = vendor.client()
    variant_id = make_product(api)["variants"][0]["id"]
    now = datetime.now(UTC)

    def adjust(i: int) -> int:
        change = _change(vendor, variant_id, "ADJUSTMENT", str(i % 5 + 1), now)
        return vendor.client().post("/inventory/changes", headers=key(),
                                    json={"changes": [change]}).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(adjust, range(50)))
    assert statuses == [200] * 50
    assert _on_hand(api, variant_id) == str(sum(i % 5 + 1 for i in range(50)))


def test_sale_idempotent_negative_stock_and_refund(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api)["variants"][0]["id"]
    cursor = head(api)
    sale = {"sale_id": "S-0001", "location_id": vendor.location_id,
            "occurred_at": iso(datetime.now(UTC)),
            "lines": [{"variant_id": variant_id, "name": "Loaf", "quantity": "2",
                       "unit_price": {"amount": 650, "currency": "EUR"}}],
            "tenders": [{"type": "cash", "amount": {"amount": 1300, "currency": "EUR"}}],
            "total": {"amount": 1300, "currency": "EUR"}}
    r = api.post("/sales", headers=key(), json=sale)
    assert r.status_code == 201, r.text
    again = api.post("/sales", headers=key(), json=sale)
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert _on_hand(api, variant_id) == "-2"
    types = [c["type"] for c in feed_after(api, cursor)["data"]]
    assert types.count("inventory_level.negative") == 1 and types.count("sale.created") == 1
    refund = {**sale, "sale_id": "S-0002", "kind": "REFUND", "refund_of": "S-0001"}
    assert api.post("/sales", headers=key(), json=refund).status_code == 201
    assert _on_hand(api, variant_id) == "-0" or _on_hand(api, variant_id) == "0"
    orphan = {**sale, "sale_id": "S-0003", "kind": "REFUND", "refund_of": "S-9999"}
    assert api.post("/sales", headers=key(), json=orphan).status_code == 422


# --- orders --------------------------------------------------------------------------------

def test_order_state_machine(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api, track=False)["variants"][0]["id"]
    order = vendor.place_order(variant_id)
    url = f"/orders/{order['id']}"
    r = api.post(url + "/mark-ready", headers=key(), json={})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    assert r.json()["current_status"] == "PENDING"
    assert set(r.json()["allowed_actions"]) == {"acknowledge", "accept", "reject"}
    assert api.post(url + "/acknowledge", headers=key(), json={}).status_code == 200
    r = api.post(url + "/accept", headers=key(), json={"prep_minutes": 10})
    assert r.status_code == 200 and r.json()["status"] == "CONFIRMED"
    version = r.json()["version"]
    r = api.post(url + "/accept", headers=key(), json={"prep_minutes": 10})
    assert r.status_code == 200 and r.json()["version"] == version  # no-op, no new event
    for action in ("start-preparing", "mark-ready"):
        assert api.post(f"{url}/{action}", headers=key(), json={}).status_code == 200
    r = api.post(url + "/complete", headers=key(), json={"pickup_code": "wrong"})
    assert r.status_code == 422
    code = order["fulfillment"]["pickup_code"]
    r = api.post(url + "/complete", headers=key(), json={"pickup_code": code})
    assert r.status_code == 200 and r.json()["status"] == "COMPLETED"
    history = [h["status"] for h in r.json()["status_history"]]
    assert history == ["PENDING", "CONFIRMED", "PREPARING", "READY", "COMPLETED"]
    assert api.post(url + "/explode", headers=key(), json={}).status_code == 404


def test_two_devices_race_to_accept(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api, track=False)["variants"][0]["id"]
    tills = [vendor.device(f"Till {i}")[0] for i in range(2)]
    for _ in range(3):
        order = vendor.place_order(variant_id)
        cursor = head(api)
        barrier = threading.Barrier(2)

        def accept(till: httpx.Client, order_id: str = order["id"],
                   barrier: threading.Barrier = barrier) -> httpx.Response:
            barrier.wait()
            return till.post(f"/orders/{order_id}/accept", headers=key(),
                             json={"prep_minutes": 5})

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(accept, tills))
        assert all(r.status_code in (200, 409) for r in results)
        accepts = [c for c in feed_after(api, cursor, types="order")["data"]
                   if c["data"]["status"] == "CONFIRMED"]
        assert len(accepts) == 1
        final = api.get(f"/orders/{order['id']}").json()
        assert [h["status"] for h in final["status_history"]].count("CONFIRMED") == 1


def test_accept_deadline_auto_cancels_and_pauses(sandbox: Sandbox) -> None:
    vendor = sandbox.new_vendor()
    api = vendor.client()
    variant_id = make_product(api, track=False)["variants"][0]["id"]
    cursor = head(api)
    orders = [vendor.place_order(variant_id, accept_window_seconds=0.2) for _ in range(3)]
    cancelled: set[str] = set()
    paused = False
    while len(cancelled) < 3 or not paused:
        page = feed_after(api, cursor, wait=10)
        assert page["data"], "the sweeper did not cancel within the long-poll window"
        for change in page["data"]:
            if change["type"] == "order.status_changed":
                assert change["data"]["cancel_reason"] == "VENDOR_TIMEOUT"
                assert change["actor"]["type"] == "system"
                cancelled.add(change["resource_id"])
            if change["type"] == "vendor.paused":
                paused = change["data"]["pause"]["reason"] == "MISSED_ORDERS"
        cursor = page["next_cursor"]
    assert cancelled == {o["id"] for o in orders}
    r = api.post(f"/orders/{orders[0]['id']}/accept", headers=key(), json={"prep_minutes": 5})
    assert r.status_code == 409 and r.json()["current_status"] == "CANCELLED"


# --- bad input -----------------------------------------------------------------------------

def test_bad_input_is_a_problem_and_changes_nothing(sandbox: Sandbox, vendor: Vendor) -> None:
    api = vendor.client()
    cursor = head(api)
    json_headers = {**key(), "Content-Type": "application/json"}
    cases = [
        api.post("/products", headers=json_headers, content=b'{"name": '),
        api.post("/products", headers=key(), json={"name": 5, "variants": "x"}),
        api.post("/products", headers=key(), json={"name": "X", "surprise": True}),
        api.post("/products", headers=key(), json=[1, 2]),
        api.post("/products", headers=key(),
                 json={"name": "X", "variants": [{"price": {"amount": -1, "currency": "EUR"}}]}),
        api.post("/products", headers=key(),
                 json={"name": "X", "variants": [{"price": {"amount": 1, "currency": "USD"}}]}),
        api.post("/products", headers=key(), content=b"x" * (1024 * 1024 + 1)),
        api.get("/no/such/route"),
        api.put("/products", headers=key(), json={}),
        api.get("/products", params={"limit": "many"}),
        api.post("/inventory/changes", headers=key(), json={"changes": []}),
        api.post("/catalog/batch-upsert", headers=key(), json={"objects": [
            {"type": "PRODUCT", "client_ref": "a", "data": {"name": "Fine"}},
            {"type": "PRODUCT", "client_ref": "b", "data": {"name": ""}}]}),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, (r.request.url, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json", r.text
        assert r.json()["code"] and r.json()["request_id"] == r.headers["x-request-id"]
    assert cases[6].status_code == 413
    assert cases[-1].json()["errors"][0]["pointer"].startswith("/objects/1")
    assert feed_after(api, cursor)["data"] == []


def test_batch_upsert_non_atomic(api: httpx.Client) -> None:
    r = api.post("/catalog/batch-upsert", headers=key(), json={"atomic": False, "objects": [
        {"type": "PRODUCT", "client_ref": "p1", "data": {"name": "Bun"}},
        {"type": "VARIANT", "client_ref": "v1", "product_client_ref": "p1",
         "data": {"price": {"amount": 300, "currency": "EUR"}}},
        {"type": "PRODUCT", "client_ref": "p2", "data": {"name": ""}}]})
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["applied", "applied", "rejected"]
