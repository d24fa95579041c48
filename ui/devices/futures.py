"""Deliver a device-thread ``Future`` to callbacks on the GUI thread (never blocks either)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from ui.errors import report_exception, user_message_of

T = TypeVar("T")
_live: set[_Delivery] = set()


class _Delivery(QObject):
    arrived = Signal(object)

    def __init__(self, on_success: Callable[[Any], None] | None,
                 on_failure: Callable[[BaseException, str], None] | None,
                 owner: QObject | None) -> None:
        super().__init__()  # on the GUI thread: the slot runs there
        self._on_success, self._on_failure, self._owner = on_success, on_failure, owner
        self.arrived.connect(self._deliver)

    @Slot(object)
    def _deliver(self, future: Future[Any]) -> None:
        _live.discard(self)
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return
        exc = future.exception()
        if exc is None:
            if self._on_success is not None:
                self._on_success(future.result())
            return
        message = user_message_of(exc)
        if message is not None and self._on_failure is not None:
            self._on_failure(exc, message)
        else:
            report_exception(exc)


def deliver(future: Future[T], *, on_success: Callable[[T], None] | None = None,
            on_failure: Callable[[BaseException, str], None] | None = None,
            owner: QObject | None = None) -> None:
    """Call ``on_success(result)`` or ``on_failure(exc, message)`` on the GUI thread when
    ``future`` is done (a bug goes to the exception hook). Call from the GUI thread."""
    delivery = _Delivery(on_success, on_failure, owner)
    _live.add(delivery)
    future.add_done_callback(delivery.arrived.emit)


def pending() -> int:
    return len(_live)
