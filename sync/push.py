"""Push: one sender drains the outbox, in order per resource, several resources at a time.

Every send reuses the row's Idempotency-Key and natural key (sale id, client_change_id), so a
retry after any failure, even one after the server committed, never applies twice. Failures
back off with full jitter and honour ``Retry-After``; a circuit breaker stops hammering a
failing server; a rejected row moves to the dead-letter list and never blocks the rows
behind it.

Sale stock travels inside ``POST /sales`` (the server moves it, idempotent by the sale id): the
sale's own ``sold_pos``/``returned`` movements are carried by the sale and acknowledged with
it, never sent again as ADJUSTMENTs (that would subtract them twice).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.writer import Tx
from sync import outbox_store as store
from sync.backoff import Backoff, CircuitBreaker
from sync.catalog_push import CatalogSender
from sync.category_push import CategorySender
from sync.client import ApiClient, ApiError, NetworkError
from sync.image_push import ImageSender
from sync.order_push import OrderSender
from sync.outbox_store import OutRow
from sync.request_push import RequestSender
from sync.senders import InventorySender, Outcome, Remote, SaleSender, Sender

log = logging.getLogger(__name__)
ROUND_ROWS = 5000
INVENTORY_LANES = 4
RETRYABLE = {"quota_exceeded", "temporarily_unavailable", "internal_error",
             "idempotency_key_in_use", "token_expired"}
BREAKER_CODES = {"temporarily_unavailable", "internal_error"}


@dataclass
class PushResult:
    sent: int = 0
    dead: int = 0
    retried: int = 0
    reverted: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Lane:
    key: tuple[str, str]
    rows: list[OutRow] = field(default_factory=list)


def lanes_of(rows: list[OutRow]) -> list[Lane]:
    """Group due rows by resource, keeping seq order inside each; a sale's own stock
    movements join the sale's lane; other stock movements share one batching lane."""
    lanes: dict[tuple[str, str], Lane] = {}
    for row in rows:
        if row.resource_type == "inventory_change":
            ref = str(row.payload.get("reference") or "")
            # Stock edits batch 100 per request, in a few lanes (by variant) so several
            # requests are in flight; each variant's changes stay in order in its lane.
            key = (("sale", ref[5:]) if ref.startswith("sale:") else
                   ("inventory", str(zlib.crc32(str(row.payload.get("variant_id")).encode())
                                     % INVENTORY_LANES)))
        else:
            key = (row.resource_type, row.resource_id)
        lanes.setdefault(key, Lane(key)).rows.append(row)
    return list(lanes.values())


class Pusher:
    def __init__(self, db: Database, client: ApiClient, *, concurrency: int = 8,
                 backoff: Backoff | None = None, breaker: CircuitBreaker | None = None,
                 skew_ms: Callable[[], int] = lambda: 0) -> None:
        self._db = db
        self._client = client
        self._sem = asyncio.Semaphore(concurrency)
        self.backoff = backoff or Backoff()
        self.breaker = breaker or CircuitBreaker()
        remote = Remote(db)
        self._senders: dict[str, Sender] = {
            "sale": SaleSender(client, remote), "inventory": InventorySender(client, remote),
            "order": OrderSender(client, skew_ms), "product": CatalogSender(client, db),
            "category": CategorySender(client, db),
            "product_image": ImageSender(client, db),
            "store": RequestSender(client), "review": RequestSender(client),
        }

    async def round(self) -> PushResult:
        """Send every due row once (or until the breaker opens)."""
        result = PushResult()
        if not self.breaker.allow():
            return result
        rows = await asyncio.to_thread(self._due)
        if not rows:
            return result
        await asyncio.gather(*(self._lane(lane, result) for lane in lanes_of(rows)))
        return result

    def _due(self) -> list[OutRow]:
        with self._db.read() as conn:
            return store.due_rows(dbapi(conn), ROUND_ROWS)

    async def _lane(self, lane: Lane, result: PushResult) -> None:
        sender = self._senders.get(lane.key[0])
        if sender is None:
            for row in lane.rows:
                await self._settle(Outcome.dead_rows([row], f"This client cannot send "
                                                f"{row.resource_type} changes yet."), result)
            return
        pending = list(lane.rows)
        while pending:
            if not self.breaker.allow():
                return
            batch, pending = sender.take(pending)
            if not batch:
                return
            async with self._sem:
                try:
                    outcome = await sender.send(batch)
                except NetworkError as exc:
                    outcome = Outcome.retry_rows(batch, str(exc), None, breaker=True)
                except ApiError as exc:
                    outcome = self._classify(batch, exc)
            await self._settle(outcome, result)
            if outcome.stop_lane:
                return

    def _classify(self, batch: list[OutRow], exc: ApiError) -> Outcome:
        problem = exc.problem
        if problem.code in RETRYABLE or problem.status >= 500 or problem.status == 429:
            return Outcome.retry_rows(
                batch, f"{problem.code}: {problem.detail}", problem.retry_after,
                breaker=problem.code in BREAKER_CODES or problem.status >= 500)
        if any(r.resource_type == "sale" for r in batch):  # its movements wait with it
            batch = [r for r in batch if r.resource_type == "sale"]
        return Outcome.dead_rows(batch, f"{problem.code}: {problem.explain()}")

    async def _settle(self, outcome: Outcome, result: PushResult) -> None:
        if outcome.breaker_failure:
            self.breaker.failure()
        elif outcome.sent or outcome.dead:
            self.breaker.success()
        # One delay for the whole batch: rows sent together (a sale and its movements) stay
        # due together.
        attempts = max((row.attempts for row in outcome.retry), default=0)
        delay = self.backoff.delay(attempts, outcome.retry_after)
        delays = {row.id: delay for row in outcome.retry}

        def write(tx: Tx) -> None:
            conn = dbapi(tx.conn)
            store.mark_sent(conn, [r.id for r in outcome.sent])
            for row in outcome.retry:
                store.reschedule(conn, row.id, delays[row.id], outcome.error)
            for row, reason in outcome.dead:
                store.mark_dead(conn, row.id, reason)
            for row, reason in outcome.discarded:
                store.mark_discarded(conn, row.id, reason)
            issues_before = _last_issue(conn) if outcome.effects else None
            for effect in outcome.effects:
                effect(conn)
            # Announce what the answers changed (an order reverted or updated by the server's
            # answer, a conflict recorded): pages watching those rows must not wait for the
            # feed, whose later copy of the same version is skipped as stale.
            touched: dict[str, set[str]] = {}
            for row in (*outcome.sent, *(r for r, _ in outcome.dead),
                        *(r for r, _ in outcome.discarded)):
                touched.setdefault(row.resource_type, set()).add(row.resource_id)
            for resource_type, ids in touched.items():
                tx.changed(resource_type, *ids)
            if outcome.dead or outcome.discarded or (
                    issues_before is not None and _last_issue(conn) != issues_before):
                tx.changed("sync_issue")
            tx.changed("outbox")
            tx.changed("sync")

        await self._db.write_async(write)
        result.sent += len(outcome.sent)
        result.retried += len(outcome.retry)
        result.dead += len(outcome.dead)
        result.reverted += len(outcome.discarded)
        if outcome.error:
            result.errors.append(outcome.error)



def _last_issue(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT max(rowid) FROM sync_issues").fetchone()
    return None if row is None else row[0]
