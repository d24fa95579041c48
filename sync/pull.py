"""Pull: bootstrap (feed head, then listings) and the change feed.

Each feed page and its new cursor are committed in one local transaction (on the writer
thread), so a kill between pages loses nothing and applies nothing twice; the newer-version
rule makes replays harmless anyway. An expired cursor (410) resyncs from the listings without
touching pending local writes: the outbox and unacknowledged movements stay as they are, and
stock is recomputed as server level + unacknowledged movements.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from local_db import rollups
from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.writer import Tx
from sync import switches
from sync.backoff import Backoff
from sync.client import ApiClient, ApiError, NetworkError, Reply
from sync.mirror import Applied, Mirror
from sync.mirror_store import store_mirrored
from sync.state import CursorState, acknowledge_settled_movements, read_cursor, write_cursor
from sync.wire import Change, FeedPage

log = logging.getLogger(__name__)
PAGE = 1000
READ_RETRIES = 5
PULL_SWITCH_INTERVAL_S = 0.001
COLLECT_EVERY_PAGES = 10
LISTINGS = (("location", "/locations", None), ("category", "/categories", None),
            ("product", "/products", 1000),
            ("inventory_level", "/inventory/levels", None), ("order", "/orders", 500),
            ("review", "/reviews", 500))
# Listed once by a till bootstrapped before reviews and the store state were mirrored (the
# feed carries their later changes): the store (a single document) and the reviews.
BACKFILL = (("vendor", "/vendor", None), ("review", "/reviews", 500))


@dataclass
class PullProgress:
    phase: str = "idle"  # idle, bootstrap, feed
    rows: int = 0
    pages: int = 0


def _publish(tx: Tx, applied: Applied) -> None:
    if applied.products:
        tx.changed("product", *applied.products)
    if applied.categories:
        tx.changed("category", *applied.categories)
    if applied.orders:
        tx.changed("order", *applied.orders)
    if applied.stock:
        tx.changed("stock", *applied.stock)
    if applied.reviews:
        tx.changed("review", *applied.reviews)
    if applied.store:
        tx.changed("store")
    if applied.issues:
        tx.changed("sync_issue")
    tx.changed("sync")


class Puller:
    def __init__(self, db: Database, client: ApiClient) -> None:
        self._db = db
        self._client = client
        self.progress = PullProgress()
        self.backoff = Backoff(base_s=0.5, cap_s=10.0)
        self.on_rows: Callable[[int], None] | None = None
        self._backfilled = False
        self._pages_since_collect = 0

    async def cursor(self) -> str | None:
        return (await asyncio.to_thread(self._read_cursor)).cursor

    def _read_cursor(self) -> CursorState:
        with self._db.read() as conn:
            return read_cursor(dbapi(conn))

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Reply:
        """A read, retried through throttling and brief outages (Retry-After honoured)."""
        for attempt in range(1, READ_RETRIES + 1):
            try:
                return await self._client.request("GET", path, params=params)
            except ApiError as exc:
                problem = exc.problem
                transient = (problem.status == 429 or problem.status >= 500
                             or problem.code == "token_expired")  # refreshed again next try
                if not transient or attempt == READ_RETRIES:
                    raise
                delay = self.backoff.delay(attempt, problem.retry_after)
            except NetworkError:
                if attempt == READ_RETRIES:
                    raise
                delay = self.backoff.delay(attempt)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def pull(self) -> int:
        """Bring the mirror up to the feed head; returns the changes applied.

        The cyclic garbage collector is paused meanwhile: decoded pages hold no reference
        cycles, and its full passes over hundreds of thousands of fresh objects were the
        longest event-loop stalls of a large first sync.

        The interpreter's thread switch interval is shortened too: while the writer thread
        applies a page (pure Python for a hundred milliseconds), the loop thread waits for the
        GIL after every socket read and every timer wake-up, up to one interval each time (5 ms
        by default); those waits added up to the loop's remaining long stalls."""
        enabled = gc.isenabled()
        gc.disable()
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, PULL_SWITCH_INTERVAL_S))
        try:
            return await self._pull()
        finally:
            sys.setswitchinterval(interval)
            if enabled:
                gc.enable()

    async def _pull(self) -> int:
        cursor = await self.cursor()
        if cursor is None:
            return await self.bootstrap()
        backfilled = 0 if self._backfilled else await self._backfill()
        try:
            return backfilled + await self.follow(cursor)
        except ApiError as exc:
            if exc.problem.code != "cursor_expired" and exc.problem.status != 410:
                raise
            log.warning("feed cursor expired: full resync (pending local writes kept)")
            return await self.bootstrap()

    async def bootstrap(self) -> int:
        """Feed head, every listing, then the feed from the head.

        The analytics rollup triggers are dropped in the first listing write and restored
        (one rebuild from the base tables, triggers recreated) in the transaction that stores
        cursor0: per-row trigger work on a million order lines halved the sync's rate. Writes
        made meanwhile (counter sales) are covered by the rebuild. A failed bootstrap restores
        them at once; one whose process died is repaired by the next ``Database.open``."""
        self.progress = PullProgress("bootstrap")
        head = await self._get("/changes/head")
        cursor0 = str(head.body["cursor"])

        def finish(tx: Tx) -> None:
            conn = dbapi(tx.conn)
            acknowledge_settled_movements(conn)
            write_cursor(conn, cursor0)
            _restore_rollups(tx)
            tx.changed("sync")

        try:
            total = await self._listings()
            await self._db.write_async(finish)
        except BaseException:
            restored = asyncio.wrap_future(self._db.writer.submit(_repair_rollups))
            # the writer runs it even if this task is cancelled again while waiting
            await asyncio.gather(asyncio.shield(restored), return_exceptions=True)
            raise
        total += await self.follow(cursor0)
        return total

    async def _listings(self) -> int:
        total = 0
        defer: Callable[[Tx], None] | None = _defer_rollups
        for resource_type, path, limit in (*LISTINGS, BACKFILL[0]):
            total += await self._list(resource_type, path, limit, before=defer)
            defer = None  # the first listing's first page dropped the triggers
        self._backfilled = True
        return total

    async def _list(self, resource_type: str, path: str, limit: int | None, *,
                    before: Callable[[Tx], None] | None = None) -> int:
        """Apply a listing (pages fetched ahead while the previous one is written) or a
        single document (a body without ``data``) as snapshots; ``before`` runs in the
        first page's transaction."""
        params: dict[str, Any] = {} if limit is None else {"limit": limit}
        total = 0
        fetch: asyncio.Future[Reply] | None = asyncio.ensure_future(self._get(path, params))
        while fetch is not None:
            reply = await fetch
            fetch = None
            if "data" not in reply.body:
                return total + await self._apply(
                    partial(_snapshots, resource_type, [reply.body]), None, before=before)
            after = reply.body.get("next_cursor")
            if reply.body.get("has_more") and after and limit is not None:
                # fetch the next page while this one is written
                fetch = asyncio.ensure_future(self._get(path, {"limit": limit, "after": after}))
            rows = reply.body.get("data") or []
            total += await self._apply(partial(_snapshots, resource_type, rows), None,
                                       before=before)
            before = None
        return total

    async def _backfill(self) -> int:
        """Once per start: a till bootstrapped before the store state and reviews were
        mirrored lists them (the feed brings every later change)."""
        self._backfilled = True
        if await asyncio.to_thread(self._store_mirrored):
            return 0
        log.info("listing the store state and reviews once (not mirrored yet)")
        total = 0
        for resource_type, path, limit in BACKFILL:
            total += await self._list(resource_type, path, limit)
        return total

    def _store_mirrored(self) -> bool:
        with self._db.read() as conn:
            return store_mirrored(dbapi(conn))

    async def follow(self, cursor: str) -> int:
        """Read the feed from ``cursor`` to its end, one transaction per page."""
        self.progress.phase = "feed" if self.progress.phase != "bootstrap" else "bootstrap"
        total = 0
        fetch: asyncio.Future[tuple[FeedPage, int | None]] | None = asyncio.ensure_future(
            self._page(cursor))
        try:
            while fetch is not None:
                page, skew = await fetch
                fetch = None
                following = page.next_cursor or cursor
                if page.has_more and following != cursor:  # fetch ahead while this one applies
                    fetch = asyncio.ensure_future(self._page(following))
                if page.entries or following != cursor or skew is not None:
                    total += await self._apply(page.changes, following, skew)
                cursor = following
        finally:
            if fetch is not None and not fetch.done():
                fetch.cancel()
        self.progress.phase = "idle"
        return total

    async def _page(self, cursor: str, wait: int = 0) -> tuple[FeedPage, int | None]:
        sent = datetime.now(UTC)
        params: dict[str, Any] = {"after": cursor, "limit": PAGE}
        if wait:
            params["wait"] = wait
        reply = await self._get("/changes", params)
        received = datetime.now(UTC)
        page = FeedPage.parse(reply.body)
        skew = None
        if page.server_time is not None:
            midpoint = sent + (received - sent) / 2
            skew = int((page.server_time - midpoint).total_seconds() * 1000)
        return page, skew

    async def long_poll(self, wait: int) -> bool:
        """The fallback push channel: wait up to ``wait`` s for changes; True if some came."""
        cursor = await self.cursor()
        if cursor is None:
            await self.bootstrap()
            return True
        page, skew = await self._page(cursor, wait)
        if page.entries:
            await self._apply(page.changes, page.next_cursor or cursor, skew)
            if page.has_more:
                await self.follow(page.next_cursor or cursor)
        return bool(page.entries)

    async def _apply(self, parse: Callable[[], list[Change]], cursor: str | None,
                     skew: int | None = None, *, before: Callable[[Tx], None] | None = None
                     ) -> int:
        """Apply a page in one transaction on the writer thread. ``parse`` turns the decoded
        page into changes there too: on the loop, building a thousand of them per page was
        one of the longest event-loop stalls of a large first sync."""
        split = switches.enabled(switches.CURSOR_OUTSIDE_TX) and cursor is not None

        def write(tx: Tx) -> tuple[int, int]:
            if before is not None:
                before(tx)
            conn = dbapi(tx.conn)
            changes = parse()
            applied = Mirror(conn).apply(changes)
            if cursor is not None and not split:
                write_cursor(conn, cursor, skew_ms=skew)
            _publish(tx, applied)
            return applied.rows, len(changes)

        if split:  # the bug the switch shows: the cursor lands before its page
            await self._db.write_async(lambda tx: write_cursor(dbapi(tx.conn), cursor,
                                                               skew_ms=skew))
            await asyncio.sleep(0.2)  # the work a real client might do in between
        rows, count = await self._db.write_async(write)
        self._pages_since_collect += 1
        if not gc.isenabled() and self._pages_since_collect >= COLLECT_EVERY_PAGES:
            # The young generations only: the request machinery's short-lived cycles go, and
            # the pass never walks the whole heap (that was the stall). Each pass still walks
            # the pages in flight (5-15 ms on the loop under load), so not after every page.
            self._pages_since_collect = 0
            gc.collect(1)
        self.progress.rows += count
        self.progress.pages += 1
        if self.on_rows is not None:
            self.on_rows(self.progress.rows)
        return rows


def _defer_rollups(tx: Tx) -> None:
    rollups.drop_triggers(tx.conn)


def _restore_rollups(tx: Tx) -> None:
    rollups.restore(tx.conn)
    tx.changed("analytics")


def _repair_rollups(tx: Tx) -> None:
    if rollups.restore_if_incomplete(tx.conn):
        tx.changed("analytics")


def _snapshots(resource_type: str, rows: list[Any]) -> list[Change]:
    return [_snapshot(resource_type, r) for r in rows if isinstance(r, dict)]


def _snapshot(resource_type: str, row: dict[str, Any]) -> Change:
    rid = str(row.get("id") or f"{row.get('variant_id')}@{row.get('location_id')}")
    return Change("", f"{resource_type}.listed", resource_type, rid,
                  int(row.get("version") or 0), row)

