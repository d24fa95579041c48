"""The per-app state handlers reach through `request.app.state.ctx`."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from dataclasses import dataclass, field

from fastapi import Request

from marketplace_sandbox.auth import Credential
from marketplace_sandbox.config import RatePolicy, Settings
from marketplace_sandbox.db import Database, Tx
from marketplace_sandbox.idempotency import IdempotencyStore
from marketplace_sandbox.notifier import Notifier
from marketplace_sandbox.presence import Presence
from marketplace_sandbox.ratelimit import RateLimiter

# Test mode: the X-Test-Hold-Commit header names a hold; the write transaction of that request
# stops just before COMMIT until a test releases it (see routes/testing.py).
hold_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("hold", default=None)


@dataclass
class Hold:
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class AppContext:
    settings: Settings
    db: Database
    notifier: Notifier
    limiter: RateLimiter
    idempotency: IdempotencyStore
    presence: Presence
    # vendor id -> rate policy override (test mode)
    rate_overrides: dict[str, RatePolicy] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    holds_lock: threading.Lock = field(default_factory=threading.Lock)
    loop: asyncio.AbstractEventLoop | None = None
    tasks: set[asyncio.Future[None]] = field(default_factory=set)  # running jobs
    sweeper_wake: asyncio.Event = field(default_factory=asyncio.Event)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.sweeper_wake = asyncio.Event()

    def wake_sweeper(self) -> None:
        """Thread-safe: a new order may have the nearest deadline."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.sweeper_wake.set)

    def hold(self, name: str) -> Hold:
        with self.holds_lock:
            hold = self.holds.get(name)
            if hold is None:
                hold = self.holds[name] = Hold()
            return hold

    def before_commit(self, tx: Tx) -> None:
        name = hold_var.get()
        if name is None or not tx.committed_vendors:  # hold only transactions with changes
            return
        hold = self.hold(name)
        hold.reached.set()
        hold.release.wait(timeout=30)


def ctx_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def credential_of(request: Request) -> Credential:
    credential: Credential = request.state.credential
    return credential
