"""The one SQLite writer: a dedicated thread that runs write transactions in order.

Callers hand it a function of a :class:`Tx`; it runs inside one transaction on the writer's
own connection (``synchronous=FULL``), commits, then tells subscribers which entities changed.
``call`` blocks (for workers, CLI and tests); ``run`` awaits (for the asyncio/qasync loop).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Which entities a committed write touched: entity type -> ids (empty set = many/unknown)."""

    changes: dict[str, frozenset[str]]

    def touches(self, entity_type: str) -> bool:
        return entity_type in self.changes


@dataclass(slots=True)
class Tx:
    """What a write function gets: the connection inside the open transaction."""

    conn: Connection
    _changes: dict[str, set[str]] = field(default_factory=dict)

    def changed(self, entity_type: str, *ids: str) -> None:
        self._changes.setdefault(entity_type, set()).update(ids)

    def change_set(self) -> ChangeSet:
        return ChangeSet({k: frozenset(v) for k, v in self._changes.items()})


_STOP = object()
# WAL checkpoints: SQLite's automatic checkpoint runs inside whichever commit crosses its
# threshold, which made the slowest sale commits slow. The writer turns it off and checkpoints
# itself between writes: after IDLE_CHECKPOINT_S without work, or every FORCE_CHECKPOINT_AFTER
# commits when writes never pause (a long sync), so the WAL cannot grow without bound.
IDLE_CHECKPOINT_S = 0.5
FORCE_CHECKPOINT_AFTER = 500


class Writer:
    def __init__(self, engine: Engine, *, name: str = "db-writer") -> None:
        self._engine = engine
        self._queue: queue.Queue[Any] = queue.Queue()
        self._subscribers: list[Callable[[ChangeSet], None]] = []
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            raise self._startup_error


    # -- public API ---------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[ChangeSet], None]) -> None:
        """``callback`` runs on the writer thread after each commit; keep it short."""
        self._subscribers.append(callback)

    def submit(self, fn: Callable[[Tx], T]) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put((fn, future))
        return future

    def call(self, fn: Callable[[Tx], T]) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("Writer.call from inside a write would deadlock")
        return self.submit(fn).result()

    async def run(self, fn: Callable[[Tx], T]) -> T:
        return await asyncio.wrap_future(self.submit(fn))

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()


    # -- the thread ---------------------------------------------------------------------------
    def _loop(self) -> None:
        try:
            conn = self._engine.connect()
            conn.info["writer"] = True
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA synchronous=FULL")  # outside any transaction
            # Checkpoints run on their own thread (below), not inside a sale's commit.
            driver.execute("PRAGMA wal_autocheckpoint=0")
        except BaseException as exc:  # reported to the constructor's caller
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        uncheckpointed = 0
        try:
            while True:
                try:
                    item = self._queue.get(timeout=IDLE_CHECKPOINT_S if uncheckpointed else None)
                except queue.Empty:
                    uncheckpointed = self._checkpoint(driver, uncheckpointed)
                    continue
                if item is _STOP:
                    break
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                self._run_one(conn, fn, future)
                uncheckpointed += 1
                if uncheckpointed >= FORCE_CHECKPOINT_AFTER:
                    uncheckpointed = self._checkpoint(driver, uncheckpointed)
            self._checkpoint(driver, uncheckpointed)
        finally:
            conn.close()

    @staticmethod
    def _checkpoint(driver: Any, pending: int) -> int:
        """PASSIVE checkpoint between writes; returns the commits still not checkpointed."""
        try:
            busy, _log, _done = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except Exception:  # the data is safe in the WAL; try again later
            log.exception("WAL checkpoint failed")
            return pending
        return pending if busy else 0

    def _run_one(self, conn: Connection, fn: Callable[[Tx], Any], future: Future[Any]) -> None:
        tx = Tx(conn)
        try:
            with conn.begin():
                result = fn(tx)
        except BaseException as exc:
            future.set_exception(exc)
            return
        changes = tx.change_set()
        if changes.changes:
            for callback in self._subscribers:
                try:
                    callback(changes)
                except Exception:  # a subscriber's bug must not stop the writer
                    log.exception("change-set subscriber failed")
        future.set_result(result)
