"""GET /events/stream: Server-Sent Events whose ids are feed cursors.

The stream is a live view of the feed: `Last-Event-ID` (or `?after=`) resumes exactly, an
expired id gets `event: resync_required`, heartbeats are comments. Push only wakes clients; the
data is the feed envelope, so the cursor bookkeeping stays with the feed.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from marketplace_sandbox import clock, faults, feed
from marketplace_sandbox.context import AppContext, credential_of, ctx_of
from marketplace_sandbox.db import cursor_of
from marketplace_sandbox.idempotency import IdempotentRoute
from marketplace_sandbox.problems import Problem

router = APIRouter(route_class=IdempotentRoute, tags=["feed"])


async def _events(ctx: AppContext, vendor_id: str, start: int | None,
                  types: tuple[list[str], list[str]], *, device_id: str | None,
                  injected: Mapping[str, str]) -> AsyncIterator[bytes]:
    if device_id is None:
        async for chunk in _stream(ctx, vendor_id, start, types, injected):
            yield chunk
        return
    presence = ctx.presence
    presence.stream_opened(vendor_id)
    try:
        async for chunk in _stream(ctx, vendor_id, start, types, injected):
            if presence.seen(vendor_id, device_id):  # keeps other workers informed
                await run_in_threadpool(presence.persist, device_id)
            yield chunk
    finally:
        presence.stream_closed(vendor_id)


def _resync(code: str, detail: str | None) -> bytes:
    body = orjson.dumps({"code": code, "detail": detail}).decode()
    return f"event: resync_required\ndata: {body}\n\n".encode()


def _render(rows: list[feed.FeedRow], injected: Mapping[str, str]) -> tuple[bytes, bool]:
    """The SSE text for rows, and whether the stream must stop (test faults applied)."""
    if "reorder_events" in injected:
        rows = rows[::-1]
    events = [f"id: {cursor_of(r.seq)}\nevent: {r.type}\ndata: {r.envelope}\n\n" for r in rows]
    if "drop_stream" in injected:
        return events[0][: len(events[0]) // 2].encode("utf-8"), True
    copies = injected.get("dup_events")
    if copies is not None:
        n = int(copies) if copies.isdigit() and int(copies) > 0 else 2
        events = [e for e in events for _ in range(n)]
    return "".join(events).encode("utf-8"), False


async def _stream(ctx: AppContext, vendor_id: str, start: int | None,
                  types: tuple[list[str], list[str]],
                  injected: Mapping[str, str]) -> AsyncIterator[bytes]:
    settings = ctx.settings
    yield f"retry: {settings.sse_retry_ms}\n\n".encode()
    if start is not None and "expire_cursor" in injected:
        yield _resync("cursor_expired", "This cursor expired (test fault)")
        return
    opened = last_sent = time.monotonic()
    if start is None:
        start, _ = await run_in_threadpool(feed.head, ctx.db, vendor_id)
    while True:
        woken = ctx.notifier.current(vendor_id)
        try:
            page = await run_in_threadpool(feed.read_page, ctx.db, vendor_id, start, 500, types)
        except Problem as problem:
            yield _resync(problem.code, problem.detail)
            return
        if page.rows:
            chunk, stop = _render(page.rows, injected)
            yield chunk
            if stop:
                return
            last_sent = time.monotonic()
        start = page.next_seq
        if page.has_more:
            continue
        now = time.monotonic()
        if now - opened >= settings.sse_max_duration:
            return
        if now - last_sent >= settings.sse_heartbeat:
            yield f": keep-alive {clock.iso(clock.now())}\n\n".encode()
            last_sent = now
        wait = min(settings.notify_fallback_poll, settings.sse_heartbeat - (now - last_sent),
                   settings.sse_max_duration - (now - opened))
        await ctx.notifier.wait(woken, max(wait, 0.001))


@router.get("/events/stream")
async def event_stream(
    request: Request,
    after: Annotated[str | None, Query(max_length=64)] = None,
    types: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    vendor_id = credential.vendor_id
    last_event_id = request.headers.get("last-event-id")
    cursor = last_event_id if last_event_id else after
    start = feed.parse_cursor(cursor, "Last-Event-ID" if last_event_id else "after")
    return StreamingResponse(
        _events(ctx, vendor_id, start, feed.parse_types(types),
                device_id=credential.id if credential.kind == "device" else None,
                injected=faults.faults_var.get()),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
