"""The sync engine: pull and push on an asyncio loop (plain asyncio or qasync), with all
database work on the writer thread or a worker thread, never on the loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.types import utc_now
from local_db.writer import ChangeSet, Tx
from sync import outbox_store
from sync.backoff import Backoff, CircuitBreaker
from sync.client import ApiClient, ApiError, NetworkError
from sync.live import LiveChannel
from sync.pull import Puller
from sync.push import Pusher, PushResult
from sync.state import CursorState, read_cursor, touch_success
from sync.status import SyncStatus, read_counts

log = logging.getLogger(__name__)


@dataclass
class OnceResult:
    pulled: int
    push: PushResult
    pending: int
    dead_letters: int


class SyncEngine:
    def __init__(self, db: Database, client: ApiClient, *, backoff: Backoff | None = None,
                 breaker: CircuitBreaker | None = None, concurrency: int = 8,
                 heartbeat_timeout_s: float = 45.0) -> None:
        self.db = db
        self.client = client
        self.skew_ms = 0
        self.puller = Puller(db, client)
        self.pusher = Pusher(db, client, backoff=backoff, breaker=breaker,
                             concurrency=concurrency, skew_ms=lambda: self.skew_ms)
        self.online = False
        self.running = False
        self.last_error: str | None = None
        self._lost_network = False  # a network failure since the last successful pull
        self._wake: asyncio.Event | None = None
        self._push_wanted: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.live = LiveChannel(client, self.puller.cursor, self.wake, self.puller.long_poll,
                                heartbeat_timeout_s=heartbeat_timeout_s)
        db.subscribe(self._on_commit)

    # -- one pass -----------------------------------------------------------------------------
    async def pull(self) -> int:
        try:
            rows = await self.puller.pull()
        except (NetworkError, ApiError) as exc:
            self._failed(exc)
            raise
        self._ok()
        if self._lost_network:
            await self._network_back()
        state = await asyncio.to_thread(self._cursor_state)
        self.skew_ms = state.clock_skew_ms
        return rows

    async def _network_back(self) -> None:
        """The marketplace answers again: what waited out a backoff during the outage (its
        delay grew with every failed attempt, up to a minute) is sent now, not a minute later,
        and the circuit breaker closes."""
        self._lost_network = False
        self.pusher.breaker.success()

        def due(tx: Tx) -> None:
            if outbox_store.due_now(dbapi(tx.conn)):
                tx.changed("outbox")

        await self.db.write_async(due)

    def _cursor_state(self) -> CursorState:
        with self.db.read() as conn:
            return read_cursor(dbapi(conn))

    async def push(self) -> PushResult:
        result = await self.pusher.round()
        if result.sent or result.dead or result.reverted:
            self._ok()
        elif result.errors:
            self.last_error = result.errors[-1]
        return result

    async def sync_once(self, *, max_wait_s: float = 120.0) -> OnceResult:
        """Pull, push until the outbox is drained (waiting out backoffs up to ``max_wait_s``),
        and pull again."""
        deadline = asyncio.get_running_loop().time() + max_wait_s
        pulled = await self.pull()
        total = PushResult()
        while True:
            result = await self.push()
            total.sent += result.sent
            total.dead += result.dead
            total.retried += result.retried
            total.reverted += result.reverted
            total.errors += result.errors
            if result.sent or result.dead or result.reverted:
                continue
            due = await asyncio.to_thread(self._next_due)
            if due is None:
                break
            wait = max(0.05, (due - utc_now()).total_seconds(), self.pusher.breaker.wait_s())
            if asyncio.get_running_loop().time() + wait > deadline:
                break
            await asyncio.sleep(wait)
        pulled += await self.pull()
        await self.db.write_async(lambda tx: touch_success(dbapi(tx.conn)))
        counts = await asyncio.to_thread(self._counts)
        return OnceResult(pulled, total, counts["pending"], counts["dead_letters"])

    def _next_due(self) -> datetime | None:
        with self.db.read() as conn:
            return outbox_store.next_due(dbapi(conn))

    def _counts(self) -> dict[str, Any]:
        with self.db.read() as conn:
            return read_counts(dbapi(conn))

    # -- keep syncing -------------------------------------------------------------------------
    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _on_commit(self, changes: ChangeSet) -> None:
        """On the writer thread: a local write queued something for the marketplace."""
        loop = self._loop
        if loop is not None and changes.touches("outbox") and not changes.touches("sync"):
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._want_push)

    def _want_push(self) -> None:
        if self._push_wanted is not None:
            self._push_wanted.set()

    async def run(self, *, live: bool = True, idle_s: float = 5.0) -> None:
        """Keep syncing until cancelled: pull when woken (live channel, timer), push when the
        outbox gets rows, back off while the network or server is down."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._push_wanted = asyncio.Event()
        self.running = True
        live_task = asyncio.ensure_future(self.live.run()) if live else None
        backoff = Backoff(base_s=0.5, cap_s=30.0)
        failures = 0
        self._wake.set()
        self._push_wanted.set()
        try:
            while True:
                try:
                    if self._wake.is_set():
                        self._wake.clear()
                        await self.pull()
                        self._push_wanted.set()  # another process may have queued rows
                    if self._push_wanted.is_set():
                        self._push_wanted.clear()
                        result = await self.push()
                        if result.sent or result.dead or result.reverted:
                            self._push_wanted.set()
                            self._wake.set()  # see the server's answer in the feed soon
                        elif result.retried:
                            due = await asyncio.to_thread(self._next_due)
                            self._retry_at(due)
                    failures = 0
                except (NetworkError, ApiError) as exc:
                    failures += 1
                    self._failed(exc)
                    await asyncio.sleep(backoff.delay(failures))
                    self._wake.set()
                    self._push_wanted.set()
                    continue
                if self._wake.is_set() or self._push_wanted.is_set():
                    continue
                await self._idle(idle_s)
        finally:
            self.running = False
            self._loop = None
            if live_task is not None:
                live_task.cancel()
                await asyncio.gather(live_task, return_exceptions=True)

    def _retry_at(self, due: datetime | None) -> None:
        if due is None or self._loop is None:
            return
        delay = max(0.05, (due - utc_now()).total_seconds())
        self._loop.call_later(delay, self._want_push)

    async def _idle(self, idle_s: float) -> None:
        assert self._wake is not None and self._push_wanted is not None
        waits = [asyncio.ensure_future(self._wake.wait()),
                 asyncio.ensure_future(self._push_wanted.wait())]
        done, pending = await asyncio.wait(waits, timeout=idle_s,
                                           return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if not done:
            self._wake.set()

    # -- status -------------------------------------------------------------------------------
    def _ok(self) -> None:
        self.online = True
        self.last_error = None

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, NetworkError):
            self.online = False
            self._lost_network = True
        self.last_error = str(exc)

    def status(self, *, paired: bool = True) -> SyncStatus:
        """Small reads; fine on a worker, and cheap enough for a status timer."""
        counts = self._counts()
        progress = self.puller.progress
        return SyncStatus(
            paired=paired, online=self.online, running=self.running,
            pending=int(counts["pending"]),
            oldest_pending_at=counts["oldest_pending_at"],
            last_success_at=counts["last_success_at"],
            dead_letters=int(counts["dead_letters"]),
            open_issues=int(counts["open_issues"]),
            unsynced_sales=int(counts["unsynced_sales"]),
            initial_sync_rows=progress.rows, phase=progress.phase, last_error=self.last_error,
            live_mode=self.live.mode)

