"""Calls to the marketplace from the window, on the running (qasync) loop: never blocking the
GUI thread, results delivered to a callback unless its owner widget is gone. Online only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from ui.sync_context import current_service

T = TypeVar("T")


def marketplace_client() -> Any | None:
    """The sync engine's API client, or None when the till is not paired."""
    service = current_service()
    if service is None or not service.base_url:
        return None
    return service.engine().client


def call_marketplace(owner: QObject, make: Callable[[Any], Coroutine[Any, Any, T]],
                     on_success: Callable[[T], None],
                     on_failure: Callable[[str], None]) -> bool:
    """Start ``make(client)`` on the running loop; False when there is no loop or no
    marketplace (then nothing is started)."""
    client = marketplace_client()
    if client is None:
        on_failure("This till is not paired with a marketplace.")
        return False
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    task = loop.create_task(make(client))

    def done(finished: asyncio.Task[T]) -> None:
        if not shiboken6.isValid(owner) or finished.cancelled():
            return
        exc = finished.exception()
        if exc is None:
            on_success(finished.result())
        else:
            on_failure(f"The marketplace could not be reached ({exc}).")

    task.add_done_callback(done)
    return True
