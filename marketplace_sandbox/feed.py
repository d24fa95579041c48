"""The per-vendor change feed: GET /changes (with long-poll) and GET /changes/head.

Sequence numbers are allocated in `db.Tx.publish`, inside the writer's transaction. Readers
take the vendor's counter first and then read rows at or below it: every row at or below a
committed counter value is itself committed, so a page never has a gap that fills in later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import delete, func, select, update
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from marketplace_sandbox import clock, faults
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.db import Database, cursor_of, seq_of
from marketplace_sandbox.idempotency import IdempotentRoute
from marketplace_sandbox.jsonutil import json_response, raw_json_response
from marketplace_sandbox.models import changes, feed_counters
from marketplace_sandbox.problems import Problem

router = APIRouter(route_class=IdempotentRoute, tags=["feed"])


@dataclass(frozen=True, slots=True)
class FeedRow:
    seq: int
    type: str
    envelope: str


@dataclass(frozen=True, slots=True)
class FeedPage:
    rows: list[FeedRow]
    next_seq: int
    has_more: bool


def parse_types(types: str | None) -> tuple[list[str], list[str]]:
    """`types=order,product.deleted`: bare names match resource types, dotted ones event types."""
    if not types:
        return [], []
    tokens = [t.strip() for t in types.split(",") if t.strip()]
    return [t for t in tokens if "." not in t], [t for t in tokens if "." in t]


def parse_cursor(cursor: str | None, pointer: str = "after") -> int | None:
    if cursor is None or cursor == "":
        return None
    seq = seq_of(cursor)
    if seq is None:
        raise Problem(400, "invalid_cursor", f"{cursor!r} is not a feed cursor",
                      errors=[{"pointer": f"?{pointer}", "code": "invalid_cursor",
                               "detail": "not a cursor from this feed"}])
    return seq


def expired(detail: str) -> Problem:
    return Problem(410, "cursor_expired", detail)


def head(db: Database, vendor_id: str) -> tuple[int, int]:
    """(last sequence, expired_through) for a vendor."""
    with db.read() as conn:
        row = conn.execute(select(feed_counters.c.seq, feed_counters.c.expired_through)
                           .where(feed_counters.c.vendor_id == vendor_id)).one()
    return int(row.seq), int(row.expired_through)


def read_page(db: Database, vendor_id: str, after: int | None, limit: int,
              types: tuple[list[str], list[str]]) -> FeedPage:
    with db.read() as conn:
        counter = conn.execute(select(feed_counters.c.seq, feed_counters.c.expired_through)
                               .where(feed_counters.c.vendor_id == vendor_id)).one()
        last, expired_through = int(counter.seq), int(counter.expired_through)
        start = expired_through if after is None else after
        if start < expired_through:
            raise expired("This cursor is older than the feed's retention; resync fully")
        if start > last:
            raise expired("This cursor is ahead of the feed (was the server reset?); resync")
        query = (select(changes.c.seq, changes.c.type, changes.c.envelope)
                 .where(changes.c.vendor_id == vendor_id, changes.c.seq > start,
                        changes.c.seq <= last)
                 .order_by(changes.c.seq).limit(limit + 1))
        resource_types, event_types = types
        if resource_types and event_types:
            query = query.where(changes.c.resource_type.in_(resource_types)
                                | changes.c.type.in_(event_types))
        elif resource_types:
            query = query.where(changes.c.resource_type.in_(resource_types))
        elif event_types:
            query = query.where(changes.c.type.in_(event_types))
        rows = [FeedRow(int(r.seq), r.type, r.envelope) for r in conn.execute(query)]
    if len(rows) > limit:
        rows = rows[:limit]
        return FeedPage(rows, rows[-1].seq, True)
    return FeedPage(rows, last, False)


def page_body(page: FeedPage) -> bytes:
    data = ",".join(row.envelope for row in page.rows)
    return (f'{{"data":[{data}],"next_cursor":"{cursor_of(page.next_seq)}",'
            f'"has_more":{"true" if page.has_more else "false"},'
            f'"server_time":"{clock.iso(clock.server_now())}"}}').encode()


def prune(db: Database, vendor_id: str, *, before_us: int | None = None,
          through_seq: int | None = None) -> int:
    """Drop changes older than the retention (or up to a sequence); their cursors expire."""
    with db.write() as tx:
        conn = tx.conn
        query = select(func.max(changes.c.seq)).where(changes.c.vendor_id == vendor_id)
        if before_us is not None:
            query = query.where(changes.c.created_us < before_us)
        if through_seq is not None:
            query = query.where(changes.c.seq <= through_seq)
        upto = conn.execute(query).scalar()
        if upto is None:
            return 0
        conn.execute(delete(changes).where(changes.c.vendor_id == vendor_id,
                                           changes.c.seq <= upto))
        conn.execute(update(feed_counters).where(feed_counters.c.vendor_id == vendor_id,
                                                 feed_counters.c.expired_through < upto)
                     .values(expired_through=upto))
        return int(upto)


@router.get("/changes/head")
async def changes_head(request: Request) -> Response:
    ctx = ctx_of(request)
    last, _ = await run_in_threadpool(head, ctx.db, credential_of(request).vendor_id)
    return json_response({"cursor": cursor_of(last), "server_time": clock.iso(clock.server_now())})


@router.get("/changes")
async def list_changes(
    request: Request,
    after: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    types: Annotated[str | None, Query(max_length=500)] = None,
    wait: Annotated[float, Query(ge=0, le=30)] = 0,
) -> Response:
    ctx = ctx_of(request)
    vendor_id = credential_of(request).vendor_id
    start = parse_cursor(after)
    if start is not None and faults.active("expire_cursor") is not None:
        raise expired("This cursor expired (test fault)")
    type_filter = parse_types(types)
    deadline = time.monotonic() + min(wait, ctx.settings.long_poll_max)
    while True:
        woken = ctx.notifier.current(vendor_id)
        page = await run_in_threadpool(read_page, ctx.db, vendor_id, start, limit, type_filter)
        remaining = deadline - time.monotonic()
        if page.rows or remaining <= 0:
            # The paging state also as headers: a client can request the next page while it
            # still decodes this one.
            return raw_json_response(page_body(page), headers={
                "Feed-Next-Cursor": cursor_of(page.next_seq),
                "Feed-Has-More": "true" if page.has_more else "false"})
        # Filtered pages may advance the cursor without rows; keep waiting from there.
        start = page.next_seq
        await ctx.notifier.wait(woken, min(remaining, ctx.settings.notify_fallback_poll))
