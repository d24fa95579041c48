"""Wakes long-polls and SSE streams when a vendor's feed grows.

Commits happen on worker threads; `notify_threadsafe` hands the wake-up to the event loop.
A waiter takes the current "generation" event *before* reading the database, so a commit that
lands between its read and its wait still wakes it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable


class Notifier:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[str, asyncio.Event] = {}

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def current(self, vendor_id: str) -> asyncio.Event:
        event = self._events.get(vendor_id)
        if event is None:
            event = self._events[vendor_id] = asyncio.Event()
        return event

    def _notify(self, vendor_ids: Iterable[str]) -> None:
        for vendor_id in vendor_ids:
            event = self._events.pop(vendor_id, None)
            if event is not None:
                event.set()

    def notify_threadsafe(self, vendor_ids: Iterable[str]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        ids = list(vendor_ids)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._notify(ids)
        else:
            with contextlib.suppress(RuntimeError):  # loop closing during shutdown
                loop.call_soon_threadsafe(self._notify, ids)

    @staticmethod
    async def wait(event: asyncio.Event, timeout: float) -> bool:
        if timeout <= 0:
            return event.is_set()
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        return True
