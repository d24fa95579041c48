"""The push channel: SSE wakes the puller; duplicated, reordered or dropped events cost
nothing because the feed stays the truth; long-poll takes over when the stream fails."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.sync.conftest import Till, run
from tests.sync.faults import FaultTransport


async def wait_for(till: Till, sql: str, *params: Any, timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(till.scalar, sql, *params):
        assert asyncio.get_running_loop().time() < deadline, f"timed out: {sql}"
        await asyncio.sleep(0.02)


def live_orders(till: Till, stocked: dict[str, Any], fault: str | None, count: int = 3,
                **engine_options: Any) -> dict[str, Any]:
    faults = FaultTransport()
    if fault:
        faults.add(fault, "GET", "/events/stream")

    async def go() -> dict[str, Any]:
        engine = till.engine(faults, **engine_options)
        task = asyncio.ensure_future(engine.run(idle_s=3600))  # only the channel wakes it
        try:
            await wait_for(till, "SELECT cursor FROM sync_cursors")
            for _ in range(count):
                order = await asyncio.to_thread(till.vendor.place_order, stocked["variant"])
                await wait_for(till, "SELECT 1 FROM orders WHERE remote_id = ?", order["id"])
            return {"mode": engine.live.mode, "events": engine.live.events,
                    "reconnects": engine.live.reconnects}
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await engine.client.aclose()

    return run(go())


@pytest.mark.parametrize("fault", [None, "dup_events=3", "reorder_events"])
def test_events_wake_the_puller(till: Till, stocked: dict[str, Any], fault: str | None) -> None:
    seen = live_orders(till, stocked, fault)
    assert seen["mode"] == "stream" and seen["events"] >= 3
    assert till.scalar("SELECT COUNT(*) FROM orders") == 3  # no duplicates from dup events
    assert till.scalar("SELECT COUNT(*) FROM order_lines") == 3


def test_a_dropped_stream_reconnects_with_last_event_id(till: Till,
                                                        stocked: dict[str, Any]) -> None:
    seen = live_orders(till, stocked, "drop_stream")
    assert seen["reconnects"] >= 1
    assert till.scalar("SELECT COUNT(*) FROM orders") == 3


def test_long_poll_takes_over_when_the_stream_keeps_failing(till: Till,
                                                            stocked: dict[str, Any]) -> None:
    faults = FaultTransport()
    faults.add("overload=1", "GET", "/events/stream")  # the stream never opens

    async def go() -> str:
        engine = till.engine(faults)
        engine.live.fallback_after = 2
        engine.live.backoff.base_s = 0.01
        task = asyncio.ensure_future(engine.run(idle_s=3600))
        try:
            await wait_for(till, "SELECT cursor FROM sync_cursors")
            while engine.live.mode != "long_poll":
                await asyncio.sleep(0.02)
            order = await asyncio.to_thread(till.vendor.place_order, stocked["variant"])
            await wait_for(till, "SELECT 1 FROM orders WHERE remote_id = ?", order["id"])
            return engine.live.mode
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await engine.client.aclose()

    assert run(go()) == "long_poll"
    assert any(p.endswith("/changes") for m, p, s in faults.seen)


def test_heartbeat_watchdog_reconnects_a_silent_stream(till: Till,
                                                       stocked: dict[str, Any]) -> None:
    """The sandbox's heartbeat is 0.3 s here; a watchdog shorter than that must fire."""
    async def go() -> int:
        engine = till.engine()
        engine.live.heartbeat_timeout_s = 0.05
        engine.live.backoff.base_s = 0.01
        task = asyncio.ensure_future(engine.run(idle_s=3600))
        try:
            while engine.live.reconnects < 2:
                await asyncio.sleep(0.02)
            return engine.live.reconnects
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await engine.client.aclose()

    assert run(asyncio.wait_for(go(), 30)) >= 2


class _SurpriseOnce(FaultTransport):
    """A real transport that raises an exception httpx never would, once, on the stream."""

    surprised = False

    async def handle_async_request(self, request: Any) -> Any:
        if "/events/stream" in request.url.path and not self.surprised:
            self.surprised = True
            raise RuntimeError("a bug somewhere under the channel")
        return await super().handle_async_request(request)


def test_an_unexpected_error_does_not_kill_the_channel(till: Till,
                                                       stocked: dict[str, Any]) -> None:
    transport = _SurpriseOnce()

    async def go() -> str:
        engine = till.engine(transport)
        engine.live.backoff.base_s = 0.01
        task = asyncio.ensure_future(engine.run(idle_s=3600))  # only the channel wakes it
        try:
            while engine.live.mode != "stream":
                await asyncio.sleep(0.02)
            order = await asyncio.to_thread(till.vendor.place_order, stocked["variant"])
            await wait_for(till, "SELECT 1 FROM orders WHERE remote_id = ?", order["id"])
            return engine.live.mode
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await engine.client.aclose()

    assert run(asyncio.wait_for(go(), 30)) == "stream"
    assert transport.surprised and till.scalar("SELECT count(*) FROM orders") >= 1
