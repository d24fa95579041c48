"""The one way the UI runs work off the GUI thread.

The services are synchronous (SQLite reads, the single writer, Argon2 PIN checks) and must
never run on the GUI thread. :func:`run_in_background` runs a callable on a small thread pool
and delivers its result, or its exception, to callbacks on the GUI thread through a QObject
relay (a queued signal). A callback whose ``owner`` widget was deleted meanwhile is dropped.

Expected failures (a ``DomainError`` with a ``user_message``) go to ``on_failure``; without
one, and for bugs always, the exception goes to the application's exception hook.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from ui.errors import report_exception, user_message_of

T = TypeVar("T")

MAX_THREADS = 4
_live: set[Job[Any]] = set()  # relays kept alive until their result is delivered


@cache
def pool() -> QThreadPool:
    threads = QThreadPool()
    threads.setMaxThreadCount(MAX_THREADS)
    return threads


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class Job(Generic[T]):
    """One background call; ``done`` is True once its callback ran on the GUI thread."""

    def __init__(self, fn: Callable[[], T], on_success: Callable[[T], None] | None,
                 on_failure: Callable[[BaseException, str], None] | None,
                 owner: QObject | None, on_done: Callable[[], None] | None = None) -> None:
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_done = on_done
        self._owner = owner
        self.done = False
        self._relay = _Relay()  # created on the GUI thread: its slots run there
        self._relay.succeeded.connect(self._deliver_success)
        self._relay.failed.connect(self._deliver_failure)

    def run(self) -> None:  # on a pool thread
        try:
            result = self._fn()
        except Exception as exc:  # handed to the GUI thread: message or crash report
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    def _finish(self) -> None:
        self.done = True
        _live.discard(self)
        if self._on_done is not None and not self._owner_gone():
            self._on_done()

    @Slot(object)
    def _deliver_success(self, result: Any) -> None:
        try:
            if self._on_success is not None and not self._owner_gone():
                self._on_success(result)
        finally:
            self._finish()

    @Slot(object)
    def _deliver_failure(self, exc: BaseException) -> None:
        try:
            message = user_message_of(exc)
            if message is not None and self._on_failure is not None and not self._owner_gone():
                self._on_failure(exc, message)
            elif message is None or self._on_failure is None:
                report_exception(exc)
        finally:
            self._finish()


def run_in_background(
    fn: Callable[[], T], *, on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException, str], None] | None = None,
    owner: QObject | None = None, on_done: Callable[[], None] | None = None,
) -> Job[T]:
    """Run ``fn()`` on the pool; call ``on_success(result)`` or ``on_failure(exc, message)``
    on the GUI thread, then ``on_done()`` in every case (bugs included: reset busy state
    there). Call this from the GUI thread."""
    job = Job(fn, on_success, on_failure, owner, on_done)
    _live.add(job)
    pool().start(job.run)
    return job


def pending() -> int:
    """Jobs started and not yet delivered (for tests and shutdown)."""
    return len(_live)


def wait_for_threads(timeout_ms: int = 10_000) -> bool:
    """Block until no pool thread runs (shutdown, tests). Deliveries still need the loop."""
    return pool().waitForDone(timeout_ms)
