"""The kill test's harness: till processes SIGKILLed at random points while customers place
orders, then one clean sync and an exact comparison of server and client."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from local_db.database import Database
from local_db.rawsql import dbapi
from marketplace_sandbox.simulator import Simulator
from sync.switches import ENV as SWITCHES_ENV
from tests.sandbox.conftest import Sandbox, Vendor, key
from tests.sync.conftest import run
from tests.sync.kill_worker import DIE_IN_PAGE_ENV, PHASE_LOG_ENV
from tests.sync.memkeyring import BACKEND, SEED_ENV, MemoryKeyring
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService

ROOT = Path(__file__).resolve().parents[2]
INITIAL = 500
OPS_SQL = (
    "SELECT (SELECT COUNT(*) FROM sales) + (SELECT COUNT(*) FROM stock_movements WHERE "
    "reference_type IS NULL) + (SELECT COUNT(*) FROM outbox WHERE resource_type = 'order')"
)


@dataclass
class Report:
    ops: int = 0
    kills: int = 0
    processes: int = 0
    orders_placed: int = 0
    sales: int = 0
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    page_kills: list[dict[str, Any]] = field(default_factory=list)  # where each died (in_page)


def _setup(sandbox: Sandbox, tmp: Path, keyring: MemoryKeyring) -> tuple[Vendor, Path, list[str]]:
    from sync.client import ApiClient, api_base
    from sync.keystore import TokenStore, account_for

    vendor = sandbox.new_vendor()
    api = vendor.client()
    remote_variants = []
    for n in range(5):
        r = api.post("/products", headers=key(), json={
            "name": f"Loaf {n}", "client_ref": str(uuid.uuid4()), "variants": [{
                "name": "Whole", "price": {"amount": 300 + n * 50, "currency": "EUR"},
                "track_inventory": True, "inventory_policy": "CONTINUE", "sku": f"L-{n}"}]})
        assert r.status_code == 201, r.text
        remote_variants.append(r.json()["variants"][0]["id"])
    r = api.post("/inventory/changes", headers=key(), json={"changes": [
        {"type": "PHYSICAL_COUNT", "client_change_id": str(uuid.uuid4()), "variant_id": v,
         "location_id": vendor.location_id, "quantity": str(INITIAL),
         "occurred_at": "2026-01-01T00:00:00Z"} for v in remote_variants]})
    assert r.status_code == 200, r.text
    db_path = tmp / "till.db"
    db = Database.open(db_path)
    try:
        info = create_shop(db, ShopDraft(name="Kill test", currency="EUR"))
        StaffService(db).add_staff(None, "Olive", "owner", "1111")
    finally:
        db.close()
    store = TokenStore(account_for(api_base(vendor.server.url), info.id))

    async def pair() -> None:
        client = ApiClient(vendor.server.url, store)
        try:
            await client.pair(api_key=vendor.api_key)
        finally:
            await client.aclose()

    run(pair())
    return vendor, db_path, remote_variants


def _simulate(sandbox: Sandbox, vendor: Vendor, stop: threading.Event, seed: int,
              report: Report, *, cancel_share: float) -> None:
    with httpx.Client(base_url=sandbox.url, timeout=30) as http:
        sim = Simulator(http, vendor.vendor_id, rng=random.Random(seed), cancel_share=0.0,
                        review_share=0.0)
        menu = sim.menu()
        cancels: list[tuple[float, str]] = []
        while not stop.wait(sim.rng.uniform(0.4, 1.2)):
            order = sim.place_one(menu)
            now = time.monotonic()
            if order is not None and sim.rng.random() < cancel_share:  # they change their mind
                cancels.append((now + sim.rng.uniform(0.5, 4.0), order["id"]))
            for _due, order_id in [c for c in cancels if c[0] <= now]:
                http.post(f"/_test/vendors/{vendor.vendor_id}/orders/{order_id}/"
                          "customer-cancel")
            cancels = [c for c in cancels if c[0] > now]
            sim.placed.clear()
        report.orders_placed = sim.counts["orders"]


def _ops(db_path: Path) -> int:
    db = Database.open(db_path)
    try:
        with db.read() as conn:
            return int(dbapi(conn).execute(OPS_SQL).fetchone()[0])
    finally:
        db.close()


def kill_test(sandbox: Sandbox, tmp: Path, keyring: MemoryKeyring, *, ops: int, seed: int,
              switches: str = "", batch: int = 100, max_seconds: float = 600,
              kill_after: tuple[float, float] | None = (1.0, 4.5),
              complete_share: float = 0.15, in_page: bool = False, min_kills: int = 0,
              cancel_share: float = 0.2) -> Report:
    """``kill_after``: kill a till that many seconds after it starts (a random time in the
    range), or, with None, once it has done a random part of its batch and then a random
    0-0.5 s more (so kills land inside operations and syncs however fast the machine is).
    ``in_page``: instead, a till kills itself once it has done a random part of its batch,
    inside the transaction applying the next feed page that brings a new order (see
    ``tests.sync.kill_worker``); ``report.page_kills`` says where each one died.
    ``min_kills``: go on past ``ops`` until that many tills were killed. ``cancel_share``: the
    share of online orders their customer cancels a few seconds later."""
    rng = random.Random(seed)
    vendor, db_path, remote_variants = _setup(sandbox, tmp, keyring)
    report = Report()
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": BACKEND, SEED_ENV: keyring.seed(),
           SWITCHES_ENV: switches, "PYTHONPATH": str(ROOT)}
    stop = threading.Event()
    simulator = threading.Thread(target=_simulate, args=(sandbox, vendor, stop, seed, report),
                                 kwargs={"cancel_share": cancel_share}, daemon=True)
    simulator.start()
    started = time.monotonic()
    log = (tmp / "workers.log").open("w")
    phases = tmp / "page_kills.jsonl"
    try:
        while ((report.ops < ops or report.kills < min_kills)
               and time.monotonic() - started < max_seconds):
            worker_seed = rng.randrange(1 << 30)
            to_kill = rng.random() >= complete_share
            worker_env = env
            if to_kill and in_page:
                worker_env = {**env, DIE_IN_PAGE_ENV: str(rng.randrange(1, batch)),
                              PHASE_LOG_ENV: str(phases)}
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.sync.kill_worker", str(db_path),
                 vendor.server.url, str(worker_seed), str(batch)],
                cwd=ROOT, env=worker_env, stdout=log, stderr=log)
            report.processes += 1
            if to_kill and in_page:
                if _await_page_kill(proc):
                    report.kills += 1
            elif to_kill and kill_after is None:
                target = report.ops + rng.randrange(1, batch)
                if _kill_at_progress(proc, db_path, target, rng.uniform(0.0, 0.5)):
                    report.kills += 1
            else:
                try:
                    proc.wait(timeout=rng.uniform(*kill_after) if to_kill and kill_after
                              else 120)  # imports take ~1-3 s
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    report.kills += 1
            report.ops = _ops(db_path)
    finally:
        stop.set()
        simulator.join(timeout=60)
        log.close()
    if phases.exists():
        report.page_kills = [json.loads(line) for line in phases.read_text().splitlines()]
    _final_sync(db_path, vendor, env)
    _compare(db_path, vendor, remote_variants, report)
    return report


def _kill_at_progress(proc: subprocess.Popen[bytes], db_path: Path, target: int,
                      delay: float, timeout: float = 120) -> bool:
    """SIGKILL ``proc`` ``delay`` seconds after the database shows ``target`` operations
    (or after ``timeout``, if it is stuck); False if it exited first."""
    deadline = time.monotonic() + timeout
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if int(reader.execute(OPS_SQL).fetchone()[0]) >= target:
                time.sleep(delay)
                break
            time.sleep(0.02)
    finally:
        reader.close()
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def _await_page_kill(proc: subprocess.Popen[bytes], timeout: float = 300) -> bool:
    """Wait for a till that kills itself inside a feed page; True if it did (SIGKILL), False
    if it finished its batch without meeting a new order. One stuck past ``timeout`` fails."""
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        raise AssertionError(f"a till did not finish its batch in {timeout} s") from None
    assert code in (0, -signal.SIGKILL), f"a till failed with exit code {code}"
    return code == -signal.SIGKILL


def _final_sync(db_path: Path, vendor: Vendor, env: dict[str, str]) -> None:
    """Restart once more and sync to the end, with no kills and no faults."""
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "tests.sync.kill_worker", str(db_path), vendor.server.url,
             "0", "0"], cwd=ROOT, env={**env, "KILL_TEST_FAULT_RATE": "0"},
            capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr[-3000:]


def _server_ledger(api: httpx.Client, variant: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"variant_id": variant, "limit": 1000}
        if after:
            params["after"] = after
        page = api.get("/inventory/changes", params=params).json()
        out += page["data"]
        after = page.get("next_cursor")
        if not page.get("has_more") or not after:
            return out


def _server_list(api: httpx.Client, path: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if after:
            params["after"] = after
        page = api.get(path, params=params).json()
        out += page["data"]
        after = page.get("next_cursor")
        if not page.get("has_more") or not after:
            return out


def _compare(db_path: Path, vendor: Vendor, remote_variants: list[str],
             report: Report) -> None:
    from tests.sync.helpers import server_sales

    api = vendor.client()
    db = Database.open(db_path)
    try:
        with db.read() as conn:
            raw = dbapi(conn)
            local_sales = {r[0] for r in raw.execute("SELECT id FROM sales")}
            moves = raw.execute(
                "SELECT v.remote_id, m.id, m.delta, m.reference_type FROM stock_movements m "
                "JOIN variants v ON v.id = m.variant_id").fetchall()
            levels = dict(raw.execute("SELECT v.remote_id, l.on_hand FROM stock_levels l "
                                      "JOIN variants v ON v.id = l.variant_id").fetchall())
            local_orders = dict(raw.execute("SELECT remote_id, status FROM orders").fetchall())
            leftover = raw.execute("SELECT status, COUNT(*) FROM outbox WHERE status IN "
                                   "('PENDING', 'DEAD') GROUP BY status").fetchall()
    finally:
        db.close()
    problems = report.problems
    if leftover:
        problems.append(f"outbox not drained: {leftover}")
    # Sales: every local sale on the server exactly once, nothing else.
    server = Counter(str(s["sale_id"]).split(":")[0] for s in server_sales(api))
    report.sales = len(local_sales)
    lost = local_sales - set(server)
    dup = {k: n for k, n in server.items() if n > 1}
    extra = set(server) - local_sales
    if lost or dup or extra:
        problems.append(f"sales: {len(lost)} lost, {len(dup)} duplicated, {len(extra)} unknown")
    # Stock edits: each local movement's client_change_id exactly once on the server.
    by_variant: dict[str, int] = Counter()
    local_edits = set()
    for remote, mid, delta, ref in moves:
        by_variant[remote] += int(delta)
        if ref is None:
            local_edits.add(mid)
    server_edits: Counter[str] = Counter()
    for variant in remote_variants:
        ledger = _server_ledger(api, variant)
        fulfilled = 0
        for entry in ledger:
            cid = entry.get("client_change_id")
            if cid and not str(cid).startswith("sale:"):
                server_edits[str(cid).split(":")[0]] += 1
            if entry.get("reason") == "order_fulfilled":
                fulfilled += int(float(entry["delta"]) * QTY_SCALE)
        level = api.get("/inventory/levels", params={"variant_id": variant}).json()["data"][0]
        server_on_hand = int(float(level["on_hand"]) * QTY_SCALE)
        expected = INITIAL * QTY_SCALE + by_variant[variant] + fulfilled
        if server_on_hand != expected:
            problems.append(f"{variant}: server on_hand {server_on_hand} != expected {expected}")
        if levels.get(variant) != server_on_hand:
            problems.append(f"{variant}: client on_hand {levels.get(variant)} != server "
                            f"{server_on_hand}")
    edits_lost = local_edits - set(server_edits)
    edits_dup = {k for k, n in server_edits.items() if n > 1}
    if edits_lost or edits_dup:
        problems.append(f"stock edits: {len(edits_lost)} lost, {len(edits_dup)} duplicated")
    # Orders: every order and its state agree.
    orders = {o["id"]: o["status"] for o in _server_list(api, "/orders")}
    missing = set(orders) - set(local_orders)
    differ = {k for k in orders if k in local_orders and local_orders[k] != orders[k]}
    if missing or differ:
        problems.append(f"orders: {len(missing)} missing on the till, {len(differ)} in a "
                        "different state")
    report.counts = {"orders": len(orders), "sales": len(local_sales),
                     "stock_edits": len(local_edits),
                     "order_actions": report.ops - len(local_sales) - len(local_edits)}
