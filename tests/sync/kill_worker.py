"""One till process of the kill test: does a batch of counter sales, stock edits and order
actions, syncing between them, until it is SIGKILLed or the batch is done.

    python -m tests.sync.kill_worker DB_PATH SERVER_URL SEED OPS

The local database is the journal: whatever committed there must reach the marketplace
exactly once. Some writes are answered 500 after the server committed (the sandbox's
``commit_then_500``), so retries are part of every run.

With ``KILL_TEST_DIE_IN_PAGE_AFTER=N`` the process SIGKILLs itself, once it has done N
operations, inside the transaction that applies the first feed page carrying an order the
till has not seen (before that page commits), after appending one JSON line about where it
died to the file ``KILL_TEST_PHASE_LOG`` names. A kill there loses nothing when the cursor
commits with its page; with ``cursor_outside_tx`` the cursor has already committed past the
page, so the order is never pulled again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path

import httpx

from local_db.database import Database
from local_db.rawsql import dbapi
from marketplace_sandbox.db import seq_of
from sync.backoff import Backoff, CircuitBreaker
from sync.client import ApiClient, api_base
from sync.engine import SyncEngine
from sync.keystore import TokenStore, account_for
from sync.mirror import Applied, Mirror
from sync.state import read_cursor
from sync.wire import Change
from tests.sync.faults import FaultTransport
from vendor_console.errors import DomainError
from vendor_console.permissions import Actor
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.inventory import InventoryService
from vendor_console.services.orders import OrderService
from vendor_console.services.pricing import Cart, CartLine, Tender
from vendor_console.services.shifts import ShiftService

NEXT = {"PENDING": "accept", "CONFIRMED": "mark-ready", "READY": "complete"}
DIE_IN_PAGE_ENV = "KILL_TEST_DIE_IN_PAGE_AFTER"
PHASE_LOG_ENV = "KILL_TEST_PHASE_LOG"


class DieInPage:
    """Kills this process inside the transaction that applies a feed page with a new order,
    once ``armed`` (see the module docstring)."""

    def __init__(self, db_path: Path, log: Path) -> None:
        self._db_path = db_path
        self._log = log
        self.armed = False

    def install(self) -> None:
        original = Mirror.apply
        die = self

        def apply(self: Mirror, changes: Iterable[Change]) -> Applied:
            page = list(changes)
            if die.armed:
                new = [c for c in page if c.resource_type == "order"
                       and self.local_id("orders", c.resource_id) is None]
                if new:
                    die._die(page, len(new))
            return original(self, page)

        Mirror.apply = apply  # type: ignore[method-assign]

    def _die(self, page: list[Change], new_orders: int) -> None:
        # The cursor as committed (this page's transaction is still open on the writer).
        reader = sqlite3.connect(f"file:{self._db_path}?mode=ro", uri=True, timeout=30)
        try:
            committed = read_cursor(reader).cursor
        finally:
            reader.close()
        last = max(seq_of(c.cursor) or 0 for c in page)
        line = {"new_orders": new_orders, "changes": len(page), "page_last_seq": last,
                "committed_seq": seq_of(committed) if committed else None,
                "cursor_past_page": committed is not None and (seq_of(committed) or 0) >= last}
        with self._log.open("a") as out:
            out.write(json.dumps(line) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.kill(os.getpid(), signal.SIGKILL)


def owner(db: Database) -> Actor:
    from vendor_console.services.staff import StaffService

    with db.read() as conn:
        staff_id = dbapi(conn).execute("SELECT id FROM staff ORDER BY created_at").fetchone()[0]
    return StaffService(db).actor(staff_id)


def one_op(db: Database, rng: random.Random, actor: Actor) -> None:
    with db.read() as conn:
        raw = dbapi(conn)
        variants = [r[0] for r in raw.execute(
            "SELECT id FROM variants WHERE remote_id IS NOT NULL AND archived_at IS NULL")]
        orders = raw.execute(
            "SELECT id, status FROM orders WHERE status IN ('PENDING', 'CONFIRMED', 'READY') "
            "AND fulfillment_type = 'PICKUP' AND (accept_by IS NULL OR accept_by > "
            "strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '+20 seconds')) "
            "ORDER BY random() LIMIT 1").fetchall()
    roll = rng.random()
    if orders and roll < 0.3:
        order_id, status = orders[0]
        action = NEXT[status]
        if action == "accept" and rng.random() < 0.15:
            OrderService(db).act(order_id, "reject", {"reason_code": "TOO_BUSY"})
        else:
            OrderService(db).act(order_id, action, {"prep_minutes": 5}
                                 if action == "accept" else {})
    elif roll < 0.7:
        checkout = CheckoutService(db)
        lines = tuple(CartLine(v, rng.randint(1, 3) * QTY_SCALE)
                      for v in rng.sample(variants, k=rng.randint(1, 2)))
        cart = Cart(lines)
        total = checkout.quote(cart).total
        checkout.complete_sale(actor, cart, [Tender("CARD", total)])
    else:
        inventory = InventoryService(db)
        variant = rng.choice(variants)
        if rng.random() < 0.6:
            inventory.receive(actor, variant, rng.randint(1, 5) * QTY_SCALE)
        else:
            inventory.adjust(actor, variant, -rng.randint(1, 2) * QTY_SCALE, "damaged")


async def main(db_path: Path, url: str, seed: int, ops: int) -> None:
    rng = random.Random(seed)
    die_after = os.environ.get(DIE_IN_PAGE_ENV)
    die = DieInPage(db_path, Path(os.environ[PHASE_LOG_ENV])) if die_after else None
    if die is not None:
        die.install()
    db = Database.open(db_path)
    actor = owner(db)
    with db.read() as conn:
        shop_id = dbapi(conn).execute("SELECT id FROM shop").fetchone()[0]
        shift = dbapi(conn).execute("SELECT 1 FROM shifts WHERE closed_at IS NULL").fetchone()
    if shift is None:
        ShiftService(db).open_shift(actor, 0)
    faults = FaultTransport()
    for path in ("/sales", "/inventory/changes", "/accept", "/mark-ready", "/complete"):
        faults.add("commit_then_500", "POST", path)
    rate = float(os.environ.get("KILL_TEST_FAULT_RATE", "0.25"))
    client = ApiClient(url, TokenStore(account_for(api_base(url), shop_id)),
                       transport=_Sometimes(faults, rng, rate))
    engine = SyncEngine(db, client, backoff=Backoff(base_s=0.02, cap_s=0.2),
                        breaker=CircuitBreaker(threshold=1000, cooldown_s=0.1))
    try:
        await engine.sync_once(max_wait_s=10)
        for n in range(ops):
            if die is not None and n >= int(die_after or 0):
                die.armed = True
            with contextlib.suppress(DomainError):  # e.g. the order changed: the till says no
                one_op(db, rng, actor)
            if n % 25 == 24:
                await engine.sync_once(max_wait_s=10)
        await engine.sync_once(max_wait_s=10)
    finally:
        await client.aclose()
        db.close()


class _Sometimes(FaultTransport):
    """Adds the fault header to a random share of the matching writes."""

    def __init__(self, faults: FaultTransport, rng: random.Random, rate: float) -> None:
        super().__init__(rules=faults.rules)
        self._rng = rng
        self._rate = rate

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._rng.random() >= self._rate:
            return await self.inner.handle_async_request(request)
        return await super().handle_async_request(request)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
