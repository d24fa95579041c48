"""create_app(settings): the marketplace vendor API as an ASGI app."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from marketplace_sandbox import clock, feed, jobs, orders, sse
from marketplace_sandbox.config import Settings
from marketplace_sandbox.context import AppContext
from marketplace_sandbox.db import Database
from marketplace_sandbox.idempotency import IdempotencyStore
from marketplace_sandbox.maintenance import Maintenance
from marketplace_sandbox.middleware import ApiMiddleware
from marketplace_sandbox.notifier import Notifier
from marketplace_sandbox.presence import Presence
from marketplace_sandbox.problems import install_handlers
from marketplace_sandbox.ratelimit import RateLimiter
from marketplace_sandbox.routes import (
    bulk,
    catalog,
    images,
    inventory,
    locations,
    reviews,
    sales,
    session,
    testing,
    vendor,
    webhooks,
)
from marketplace_sandbox.routes import orders as order_routes
from marketplace_sandbox.webhooks import Sender

log = logging.getLogger("marketplace_sandbox")


async def _sweeper(ctx: AppContext) -> None:
    """Cancels orders whose accept_by passed; sleeps until the next deadline or a new order."""
    settings = ctx.settings
    while True:
        wake = ctx.sweeper_wake
        wake.clear()
        try:
            _, next_us = await run_in_threadpool(orders.expire_due, ctx.db,
                                                 settings.timeouts_before_pause)
        except Exception:  # keep sweeping; the next pass retries
            log.exception("order sweeper failed")
            next_us = None
        delay = settings.sweeper_max_sleep
        if next_us is not None:
            delay = min(delay, max(0.0, (next_us - clock.now_us()) / 1_000_000))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), delay)


async def _webhook_sender(ctx: AppContext) -> None:
    sender = Sender(ctx.db, ctx.settings)
    try:
        while True:
            try:
                await run_in_threadpool(sender.run_once)
            except Exception:
                log.exception("webhook delivery pass failed")
            await asyncio.sleep(ctx.settings.webhook_poll)
    finally:
        sender.close()


async def _maintenance(ctx: AppContext) -> None:
    worker = Maintenance(ctx)
    while True:
        await run_in_threadpool(worker.run_once)
        await asyncio.sleep(ctx.settings.maintenance_interval)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    db = Database(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    db.create_schema()
    notifier = Notifier()
    ctx = AppContext(settings=settings, db=db, notifier=notifier, limiter=RateLimiter(),
                     idempotency=IdempotencyStore(db, retention=settings.idempotency_retention,
                                                  lease=settings.idempotency_lease),
                     presence=Presence(db, settings.presence_timeout))
    db.on_commit = notifier.notify_threadsafe
    if settings.test_mode:
        db.before_commit = ctx.before_commit

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        notifier.bind(loop)
        ctx.bind(loop)
        await run_in_threadpool(jobs.fail_interrupted, db)
        listener = None
        if not db.is_sqlite:
            from marketplace_sandbox.pglisten import FeedListener

            listener = FeedListener(db.url, notifier.notify_threadsafe)
            listener.start()
        tasks = [asyncio.create_task(_sweeper(ctx), name="order-sweeper"),
                 asyncio.create_task(_maintenance(ctx), name="maintenance"),
                 asyncio.create_task(_webhook_sender(ctx), name="webhooks")]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if listener is not None:
                await run_in_threadpool(listener.stop)
            db.dispose()

    app = FastAPI(title="Marketplace vendor API (sandbox)", version="1.0.0",
                  lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.ctx = ctx
    install_handlers(app)
    base = settings.base_path
    app.include_router(session.auth_router, prefix=base)
    for module in (session, vendor, locations, catalog, images, inventory, sales, order_routes,
                   reviews, bulk, webhooks):
        app.include_router(module.router, prefix=base)
    app.include_router(feed.router, prefix=base)
    app.include_router(sse.router, prefix=base)
    if settings.test_mode:
        app.include_router(testing.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(ApiMiddleware, ctx=ctx)
    return app


SETTINGS_ENV = "MARKETPLACE_SANDBOX_SETTINGS"


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --workers N` (settings as JSON in MARKETPLACE_SANDBOX_SETTINGS)."""
    raw = json.loads(os.environ.get(SETTINGS_ENV, "{}"))
    if "faults" in raw:
        raw["faults"] = tuple(raw["faults"])
    return create_app(Settings(**raw))
