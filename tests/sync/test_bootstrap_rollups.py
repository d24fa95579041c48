"""The bootstrap defers the analytics rollups (triggers dropped in its first write, one
rebuild and the triggers back in its last), and a bootstrap cut short by a failure or a killed
process never leaves the rollups wrong or the triggers missing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from local_db.database import Database
from local_db.rollups import expected_trigger_names, trigger_names
from sync import pull
from sync.backoff import Backoff
from sync.client import ApiError
from tests.analytics.documents import add_product, incremental_and_rebuilt
from tests.sandbox.conftest import Vendor, key
from tests.sync.conftest import Till, run
from tests.sync.faults import FaultTransport
from tests.sync.helpers import sell
from tests.sync.memkeyring import BACKEND, SEED_ENV, MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]


def completed_order(vendor: Vendor, variant: str) -> str:
    api = vendor.client()
    order_id = str(vendor.place_order(variant, "2")["id"])
    for action, body in (("accept", {"prep_minutes": 5}), ("mark-ready", {}),
                         ("complete", {})):
        r = api.post(f"/orders/{order_id}/{action}", headers=key(), json=body)
        assert r.status_code == 200, r.text
    return order_id


def triggers(db: Database) -> list[str]:
    with db.read() as conn:
        return trigger_names(conn)


def daily(till: Till, channel: str) -> tuple[int, int] | None:
    row = till.rows("SELECT sum(sales_count), sum(sales_total) FROM analytics_daily "
                    "WHERE channel = ?", channel)[0]
    return None if row[0] is None else (int(row[0]), int(row[1]))


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Orders listed one per page, so a bootstrap has many order pages to cut short."""
    monkeypatch.setattr(pull, "LISTINGS", tuple(
        (kind, path, 1 if kind == "order" else limit) for kind, path, limit in pull.LISTINGS))


def test_bootstrap_rolls_up_once_at_the_end_without_losing_counter_sales(
        till: Till, stocked: dict[str, Any], small_pages: None) -> None:
    for _ in range(3):
        completed_order(till.vendor, stocked["variant"])
    till.vendor.place_order(stocked["variant"])  # still pending: placed, not sold
    loaf = add_product(till.db, "Loaf", 450)
    seen: dict[str, Any] = {}

    def meanwhile(_rows: int) -> None:  # after each committed page, on the loop
        if "during" not in seen:
            seen["during"] = triggers(till.db)
            sell(till, loaf.variant_id, 2)  # a counter sale between two bootstrap pages

    async def go() -> None:
        engine = till.engine()
        engine.puller.on_rows = meanwhile
        try:
            await engine.pull()
        finally:
            await engine.client.aclose()

    run(go())
    assert seen["during"] == []  # deferred: no per-row trigger work during the listings
    assert triggers(till.db) == expected_trigger_names()
    incremental, rebuilt = incremental_and_rebuilt(till.db)
    assert incremental == rebuilt
    assert daily(till, "counter") == (1, 900)  # the sale made mid-bootstrap is rolled up
    assert daily(till, "marketplace") == (3, 3 * 1300)
    assert till.scalar("SELECT sum(placed) FROM analytics_orders_daily") == 4


def test_a_failed_bootstrap_puts_the_triggers_back_and_the_next_one_completes(
        till: Till, stocked: dict[str, Any], small_pages: None) -> None:
    for _ in range(3):
        completed_order(till.vendor, stocked["variant"])
    faults = FaultTransport()
    faults.add("overload", "GET", "/orders", query="after=")  # every order page but the first

    async def go(transport: FaultTransport | None) -> None:
        engine = till.engine(transport)
        engine.puller.backoff = Backoff(base_s=0.01, cap_s=0.05)
        try:
            await engine.pull()
        finally:
            await engine.client.aclose()

    with pytest.raises(ApiError):
        run(go(faults))
    assert till.scalar("SELECT count(*) FROM orders") == 1  # it died after one order page
    assert till.scalar("SELECT cursor FROM sync_cursors") is None  # no cursor0 stored
    assert triggers(till.db) == expected_trigger_names()
    incremental, rebuilt = incremental_and_rebuilt(till.db)
    assert incremental == rebuilt
    assert daily(till, "marketplace") == (1, 1300)

    run(go(None))
    assert till.scalar("SELECT count(*) FROM orders") == 3
    assert triggers(till.db) == expected_trigger_names()
    incremental, rebuilt = incremental_and_rebuilt(till.db)
    assert incremental == rebuilt
    assert daily(till, "marketplace") == (3, 3 * 1300)


def test_a_bootstrap_killed_midway_is_repaired_when_the_database_next_opens(
        till: Till, stocked: dict[str, Any], memory_keyring: MemoryKeyring) -> None:
    completed_order(till.vendor, stocked["variant"])
    loaf = add_product(till.db, "Loaf", 450)
    sell(till, loaf.variant_id)
    path = till.db.path
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": BACKEND, SEED_ENV: memory_keyring.seed(),
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "tests.sync.bootstrap_kill_worker", str(path),
                           till.vendor.server.url], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with sqlite3.connect(path) as raw:
        left = raw.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'an%'").fetchone()[0]
    assert left == 0  # what the killed bootstrap left: the rollups deferred, never restored
    sell(till, loaf.variant_id)  # a sale while the triggers are missing
    assert daily(till, "counter") == (1, 450)  # ... is not rolled up yet

    with Database.open(path) as reopened:  # the next start
        assert triggers(reopened) == expected_trigger_names()
        incremental, rebuilt = incremental_and_rebuilt(reopened)
    assert incremental == rebuilt
    assert daily(till, "counter") == (2, 900)
    assert daily(till, "marketplace") is None  # no orders mirrored yet: the kill came first

    till.sync()  # the next sync bootstraps again, to the end
    assert triggers(till.db) == expected_trigger_names()
    incremental, rebuilt = incremental_and_rebuilt(till.db)
    assert incremental == rebuilt
    assert daily(till, "marketplace") == (1, 1300)
