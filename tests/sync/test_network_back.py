"""When the network comes back, what waited out a retry delay during the outage goes at once:
a sale whose backoff grew to minutes while the till was offline is not left waiting."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx

from sync.backoff import Backoff, CircuitBreaker
from sync.client import NetworkError
from tests.sync.conftest import Till, run
from tests.sync.faults import FaultTransport
from tests.sync.helpers import sell, server_sales


class Unplugged(FaultTransport):
    """The real transport to the sandbox, with a cable that can be pulled: while ``down``
    every request fails to connect, as it does with no network."""

    down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is unreachable", request=request)
        return await super().handle_async_request(request)


def test_network_back_sends_what_waited_out_a_long_backoff(till: Till,
                                                           stocked: dict[str, Any]) -> None:
    till.sync()
    cable = Unplugged()
    # A backoff whose delays are long (a minute and more) once a few attempts failed.
    engine = till.engine(cable, backoff=Backoff(base_s=60.0, cap_s=600.0),
                         breaker=CircuitBreaker(threshold=1, cooldown_s=600.0))

    async def go() -> tuple[int, str | None, str]:
        try:
            cable.down = True
            sale_id = sell(till, till.variant(stocked["variant"]))
            pushed = await engine.push()  # fails to connect: rescheduled far out
            assert pushed.retried >= 1 and engine.pusher.breaker.state == "open"
            with contextlib.suppress(NetworkError):
                await engine.pull()
            assert not engine.online
            waiting = till.scalar("SELECT next_attempt_at FROM outbox WHERE resource_id = ?",
                                  sale_id)
            cable.down = False
            await engine.pull()  # the network is back
            after = await engine.push()
            return after.sent, waiting, sale_id
        finally:
            await engine.client.aclose()

    sent, waiting, sale_id = run(go())
    assert waiting is not None  # it had been put off (by a minute or more)
    assert sent >= 1
    assert sale_id in [s["sale_id"] for s in server_sales(stocked["api"])]
    assert till.scalar("SELECT status FROM outbox WHERE resource_id = ?", sale_id) == "SENT"
