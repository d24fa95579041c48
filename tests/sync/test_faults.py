"""Every client-facing fault knob of the sandbox (API.md), asked for per request."""

from __future__ import annotations

import asyncio
from typing import Any

from sync.client import ApiClient
from tests.sync.conftest import Till, run
from tests.sync.faults import FaultTransport
from tests.sync.helpers import local_on_hand, sell, server_on_hand, server_sales
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.inventory import InventoryService


def test_commit_then_500_is_retried_with_the_same_key_and_applied_once(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    sale_id = sell(till, variant, 2)
    faults = FaultTransport()
    faults.add("commit_then_500", "POST", "/sales", times=2)  # the retry replays: no 2nd 500
    result = till.sync(faults)
    assert result.pending == 0
    assert [s for m, p, s in faults.seen if p.endswith("/sales")] == [500, 201]
    assert [s["sale_id"] for s in server_sales(stocked["api"])] == [sale_id]
    assert server_on_hand(stocked["api"], stocked["variant"]) == "8"
    assert local_on_hand(till, variant) == 8 * QTY_SCALE


def test_rate_limit_waits_for_retry_after(till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    sell(till, till.variant(stocked["variant"]))
    faults = FaultTransport()
    faults.add("rate_limit=1", "POST", "/sales", times=1)
    result = till.sync(faults)
    assert result.pending == 0
    statuses = [s for m, p, s in faults.seen if p.endswith("/sales")]
    assert statuses == [429, 201]
    assert len(server_sales(stocked["api"])) == 1


def test_overload_backs_off_and_opens_the_breaker(till: Till, stocked: dict[str, Any]) -> None:
    from sync.backoff import CircuitBreaker

    till.sync()
    sell(till, till.variant(stocked["variant"]))
    faults = FaultTransport()
    faults.add("overload=1", "POST", "/sales", times=3)
    breaker = CircuitBreaker(threshold=2, cooldown_s=0.5)
    result = till.sync(faults, breaker=breaker)
    assert result.pending == 0
    assert [s for m, p, s in faults.seen if p.endswith("/sales")] == [503, 503, 503, 201]
    assert breaker.state == "closed"  # a success closed it again


def test_slow_answer_timing_out_is_retried_without_doubling(till: Till,
                                                           stocked: dict[str, Any]) -> None:
    import httpx

    import sync.client as client_module

    till.sync()
    sell(till, till.variant(stocked["variant"]), 1)
    faults = FaultTransport()
    faults.add("slow=2", "POST", "/sales", times=1)
    old = client_module.TIMEOUT
    client_module.TIMEOUT = httpx.Timeout(0.5, connect=5.0)
    try:
        result = till.sync(faults)
    finally:
        client_module.TIMEOUT = old
    assert result.pending == 0
    assert len(server_sales(stocked["api"])) == 1
    assert server_on_hand(stocked["api"], stocked["variant"]) == "9"


def test_partial_batch_retries_only_the_rejected_items(till: Till,
                                                      stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    inventory = InventoryService(till.db)
    for _ in range(5):
        inventory.receive(till.shop.owner, variant, 1 * QTY_SCALE)
    faults = FaultTransport()
    faults.add("partial_batch", "POST", "/inventory/changes", times=1)
    result = till.sync(faults)
    assert result.pending == 0 and result.push.retried == 2
    assert server_on_hand(stocked["api"], stocked["variant"]) == "15"
    assert local_on_hand(till, variant) == 15 * QTY_SCALE


def test_expired_cursor_resyncs_and_keeps_pending_writes(till: Till,
                                                         stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    InventoryService(till.db).receive(till.shop.owner, variant, 4 * QTY_SCALE)  # not sent yet
    # the server changes meanwhile: an order arrives
    order = till.vendor.place_order(stocked["variant"], "1")
    faults = FaultTransport()
    faults.add("expire_cursor", "GET", "/changes", times=1)

    async def pull_only() -> None:
        engine = till.engine(faults)
        try:
            await engine.pull()
        finally:
            await engine.client.aclose()

    run(pull_only())
    assert next(s for m, p, s in faults.seen if p.endswith("/changes")) == 410
    assert till.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING'") == 1
    assert local_on_hand(till, variant) == 14 * QTY_SCALE  # server 10 + pending 4
    assert till.scalar("SELECT status FROM orders WHERE remote_id = ?", order["id"]) == "PENDING"
    till.sync()
    assert server_on_hand(stocked["api"], stocked["variant"]) == "14"


def test_schema_drift_is_tolerated(till: Till, stocked: dict[str, Any]) -> None:
    faults = FaultTransport()
    faults.add("schema_drift")
    till.vendor.place_order(stocked["variant"], "1")
    result = till.sync(faults)
    assert result.pulled > 0
    variant = till.variant(stocked["variant"])
    sell(till, variant)
    assert till.sync(faults).pending == 0
    assert till.scalar("SELECT COUNT(*) FROM orders") == 1
    assert till.scalar("SELECT clock_skew_ms FROM sync_cursors") is not None


def test_token_expiry_refreshes_once_and_replays(till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    sell(till, till.variant(stocked["variant"]))
    faults = FaultTransport()
    faults.add("token_expiry", "POST", "/sales", times=1)

    async def go() -> int:
        engine = till.engine(faults)
        try:
            await engine.sync_once()
            return engine.client.refreshes
        finally:
            await engine.client.aclose()

    assert run(go()) == 1
    assert [s for m, p, s in faults.seen if p.endswith("/sales")] == [401, 201]
    assert len(server_sales(stocked["api"])) == 1


def test_clock_skew_is_measured_and_kept(till: Till, stocked: dict[str, Any]) -> None:
    faults = FaultTransport()
    faults.add("clock_skew=10")
    till.sync(faults)
    skew = till.scalar("SELECT clock_skew_ms FROM sync_cursors")
    assert 9 * 60_000 < skew < 11 * 60_000


def test_refresh_is_single_flight(till: Till) -> None:
    """Ten requests at once with an expiring token: one refresh, all succeed."""
    from datetime import UTC, datetime, timedelta

    from sync.wire import Tokens

    tokens = till.store.load()
    assert tokens is not None
    till.store.save(Tokens(tokens.device_id, tokens.vendor_id, tokens.access_token,
                           tokens.refresh_token, datetime.now(UTC) + timedelta(seconds=30)))

    async def go() -> tuple[int, list[int]]:
        client = ApiClient(till.vendor.server.url, till.store)
        try:
            replies = await asyncio.gather(*(client.request("GET", "/me") for _ in range(10)))
            return client.refreshes, [r.status for r in replies]
        finally:
            await client.aclose()

    refreshes, statuses = run(go())
    assert refreshes == 1 and statuses == [200] * 10
    fresh = till.store.load()
    assert fresh is not None and fresh.refresh_token != tokens.refresh_token
