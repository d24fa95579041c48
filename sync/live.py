"""The push channel: SSE with the cursor as ``Last-Event-ID``, a heartbeat watchdog,
reconnect with backoff, and a long-poll fallback. Push only wakes the puller; the feed is the
truth, so a duplicated, reordered or dropped event costs nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import httpx

from sync.backoff import Backoff
from sync.client import ApiClient, ApiError, NetworkError, mark_asyncio

log = logging.getLogger(__name__)


class LiveChannel:
    def __init__(self, client: ApiClient, cursor: Callable[[], Awaitable[str | None]],
                 wake: Callable[[], None], long_poll: Callable[[int], Awaitable[bool]], *,
                 heartbeat_timeout_s: float = 45.0, fallback_after: int = 3,
                 backoff: Backoff | None = None) -> None:
        self._client = client
        self._cursor = cursor
        self._wake = wake
        self._long_poll = long_poll
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self.fallback_after = fallback_after
        self.backoff = backoff or Backoff(base_s=0.5, cap_s=30.0)
        self.mode = "connecting"  # connecting, stream, long_poll
        self.events = 0
        self.reconnects = 0

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                if failures >= self.fallback_after:
                    self.mode = "long_poll"
                    await self._long_poll(25)
                    self._wake()
                    failures = max(0, failures - 1)  # try the stream again now and then
                    continue
                await self._stream()
                failures = 0
            except asyncio.CancelledError:
                raise
            except (NetworkError, ApiError, httpx.HTTPError, TimeoutError) as exc:
                failures += 1
                self.reconnects += 1
                log.info("live channel: %s", exc)
                await asyncio.sleep(self.backoff.delay(failures))
            except Exception:  # the channel must outlive any surprise
                # A push channel that dies silently leaves the till polling on a long timer;
                # whatever went wrong, log it and reconnect like any other failure.
                failures += 1
                self.reconnects += 1
                log.exception("live channel: unexpected error")
                await asyncio.sleep(self.backoff.delay(failures))

    async def _stream(self) -> None:
        mark_asyncio()
        token = await self._client._token()
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        cursor = await self._cursor()
        if cursor:
            headers["Last-Event-ID"] = cursor
        # The heartbeat watchdog is the read timeout: any byte (an event or a keep-alive
        # comment) must arrive within it, including the response headers. A socket-level
        # timeout cannot be swallowed the way a cancelled ``wait_for`` around a read can.
        watchdog = httpx.Timeout(self.heartbeat_timeout_s, connect=5.0, pool=5.0)
        async with self._client.http.stream("GET", "/events/stream", headers=headers,
                                            timeout=watchdog) as resp:
            if resp.status_code >= 400:
                raise NetworkError(f"event stream answered {resp.status_code}")
            self.mode = "stream"
            self._wake()  # catch up on what happened while not connected
            lines = resp.aiter_lines()
            event = ""
            while True:
                try:
                    line = await anext(lines)
                except StopAsyncIteration:
                    raise NetworkError("the server closed the event stream") from None
                except httpx.ReadTimeout:
                    raise NetworkError("no heartbeat from the event stream") from None
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") or (line == "" and event):
                    self.events += 1
                    self._wake()
                    event = ""
