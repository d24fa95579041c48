"""Sync benchmarks (DESIGN.md §9): initial sync of the bench catalog and order history from
the sandbox on loopback (rows/s end to end, extra peak memory, longest event-loop stall seen
by a probe timer), order placed -> visible in the client database (p95), and the outbox drain
rate after a week offline."""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import keyring

from bench.common import Report, pct, verdict
from bench.marketplace import MemoryKeyring as _MemoryKeyring
from bench.marketplace import pair as _pair
from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.writer import Tx
from sync.backoff import Backoff, CircuitBreaker
from sync.client import ApiClient
from sync.engine import SyncEngine
from sync.keystore import TokenStore
from vendor_console.services.shop import ShopDraft, create_shop

# The sandbox's default batch bucket (60 requests a minute) caps any client at about 100
# changes/s (measured: the outbox 111/s, bare httpx 105/s), far below the budget's 500/s;
# the drain is measured against a marketplace whose batch bucket allows 600 a minute. That
# bucket starts full (600 requests of at most 100 changes, API.md), so the 500 requests of the
# 50,000-change drain are never throttled: what bounds both the outbox and the bare-httpx
# baseline is the sandbox's own work per change.
BATCH_PER_MINUTE = 600


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _probe(stalls: list[float], stop: asyncio.Event, period: float = 0.005) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(period)
        stalls.append(loop.time() - before - period)


def run(report: Report, work: Path, *, products: int, lines: int, samples: int,
        outbox: int) -> None:
    from marketplace_sandbox import bench as server_bench
    from marketplace_sandbox.db import Database as ServerDatabase

    keyring.set_keyring(_MemoryKeyring())
    url = f"sqlite:///{work / 'sync-server.db'}"
    sdb = ServerDatabase(url)
    sdb.create_schema()
    print(f"sync: building {products:,} products + {lines:,} order lines on the server…",
          flush=True)
    vendor_id, api_key = server_bench.build(sdb, products, lines)
    sdb.dispose()
    with server_bench.serve(url, batch_per_minute=BATCH_PER_MINUTE) as server:
        db = Database.open(work / "sync-client.db")
        try:
            create_shop(db, ShopDraft(name="Bench", currency="EUR"))
            store = TokenStore("bench")
            asyncio.run(_pair(server, store, api_key))
            _initial_sync(report, db, server, store, products, lines)
            _order_latency(report, db, server, store, vendor_id, samples)
            _outbox_drain(report, db, server, store, outbox)
        finally:
            db.close()


def _initial_sync(report: Report, db: Database, server: str, store: TokenStore,  # noqa: PLR0917
                  products: int, lines: int) -> None:
    rss_before = _rss_mb()

    async def go() -> tuple[float, list[float]]:
        engine = SyncEngine(db, ApiClient(server, store))
        stalls: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.ensure_future(_probe(stalls, stop))
        started = time.perf_counter()
        try:
            await engine.pull()
        finally:
            elapsed = time.perf_counter() - started
            stop.set()
            await probe
            await engine.client.aclose()
        return elapsed, stalls

    elapsed, stalls = asyncio.run(go())
    with db.read() as conn:
        raw = dbapi(conn)
        got_products = raw.execute("SELECT COUNT(*) FROM products").fetchone()[0]
        got_lines = raw.execute("SELECT COUNT(*) FROM order_lines").fetchone()[0]
    rows = got_products + got_lines
    rate = rows / elapsed
    extra = _rss_mb() - rss_before
    stall_ms = max(stalls) * 1000 if stalls else 0.0
    report.notes.append(f"initial sync: {got_products:,}/{products:,} products and "
                        f"{got_lines:,}/{lines:,} order lines in {elapsed:.1f} s")
    report.add("sync", "initial sync, rows/s end to end", f"{rate:,.0f}", "",
               ">= 25,000", verdict(rate >= 25_000))
    report.add("sync", "initial sync, extra peak memory", f"{extra:.0f} MB", "", "<= 150 MB",
               verdict(extra <= 150))
    report.add("sync", "initial sync, longest event-loop stall", f"{stall_ms:.0f} ms", "",
               "<= 50 ms", verdict(stall_ms <= 50))


def _order_latency(report: Report, db: Database, server: str, store: TokenStore,  # noqa: PLR0917
                   vendor_id: str, samples: int) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        menu = http.get(f"/_test/vendors/{vendor_id}/menu").json()["data"][:5]
        variant = menu[0]["variants"][0]["variant_id"]

        async def go() -> list[float]:
            engine = SyncEngine(db, ApiClient(server, store))
            task = asyncio.ensure_future(engine.run(idle_s=3600))
            latencies: list[float] = []
            try:
                while engine.live.mode != "stream":
                    await asyncio.sleep(0.01)
                await asyncio.sleep(0.2)
                for _ in range(samples):
                    started = time.perf_counter()
                    r = await asyncio.to_thread(http.post, "/_test/orders", json={
                        "vendor_id": vendor_id, "lines": [{"variant_id": variant,
                                                           "quantity": "1"}]})
                    order_id = r.json()["id"]
                    while not await asyncio.to_thread(_has_order, db, order_id):
                        await asyncio.sleep(0.002)
                    latencies.append(time.perf_counter() - started)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await engine.client.aclose()
            return latencies

        latencies = asyncio.run(go())
    p95 = pct([x * 1000 for x in latencies], 95)
    report.add("sync", f"order placed -> in client DB, p95 (n={len(latencies)})",
               f"{p95:.0f} ms", "", "<= 1000 ms", verdict(p95 <= 1000))


def _has_order(db: Database, order_id: str) -> bool:
    with db.read() as conn:
        return dbapi(conn).execute("SELECT 1 FROM orders WHERE remote_id = ?",
                                   (order_id,)).fetchone() is not None


def _record(moves: list[Any], tx: Tx) -> list[str]:
    from vendor_console.services import stock_ledger

    return stock_ledger.record(tx, moves, staff_id=None)


def _outbox_drain(report: Report, db: Database, server: str, store: TokenStore,
                  queued: int) -> None:
    from vendor_console.services import stock_ledger

    with db.read() as conn:
        raw = dbapi(conn)
        variants = [r[0] for r in raw.execute(
            "SELECT id FROM variants WHERE remote_id IS NOT NULL LIMIT 500")]
        location = raw.execute("SELECT id FROM locations").fetchone()[0]
    print(f"sync: queueing {queued:,} stock changes (a week offline)…", flush=True)
    for start in range(0, queued, 2000):
        moves = [stock_ledger.Movement(variants[i % len(variants)], location, "received",
                                       delta=1000) for i in range(start, min(queued,
                                                                             start + 2000))]
        db.write(partial(_record, moves))

    async def go() -> tuple[float, int]:
        engine = SyncEngine(db, ApiClient(server, store), backoff=Backoff(0.05, 1.0),
                            breaker=CircuitBreaker(threshold=100))
        started = time.perf_counter()
        try:
            result = await engine.sync_once(max_wait_s=600)
        finally:
            await engine.client.aclose()
        return time.perf_counter() - started, result.push.sent

    elapsed, sent = asyncio.run(go())
    rate = sent / elapsed
    server_rate = _raw_server_rate(db, server, store, min(2000, queued))
    report.add("sync", f"outbox drain after a week offline ({sent:,} changes; server "
               f"batch bucket {BATCH_PER_MINUTE}/min)",
               f"{rate:,.0f}/s", f"{server_rate:,.0f}/s (raw httpx, same batches)", ">= 500/s",
               verdict(rate >= 500))


def _raw_server_rate(db: Database, server: str, store: TokenStore, count: int) -> float:
    """The server's own rate for the same requests: 100-change batches posted one after the
    other with a bare httpx client, waiting out 429s as told (what the outbox drain can at
    best reach under the server's batch bucket)."""
    tokens = store.load()
    assert tokens is not None
    with db.read() as conn:
        cur = dbapi(conn)
        variants = [r[0] for r in cur.execute(
            "SELECT remote_id FROM variants WHERE remote_id IS NOT NULL LIMIT 500")]
        location = cur.execute("SELECT remote_id FROM locations").fetchone()[0]
    headers = {"Authorization": f"Bearer {tokens.access_token}"}
    with httpx.Client(base_url=server + "/vendor/v1", timeout=60, headers=headers) as http:
        started = time.perf_counter()
        for start in range(0, count, 100):
            changes = [{"type": "ADJUSTMENT", "client_change_id": str(uuid.uuid4()),
                        "variant_id": variants[i % len(variants)], "location_id": location,
                        "delta": "1", "reason": "received",
                        "occurred_at": "2026-06-01T00:00:00Z"}
                       for i in range(start, min(count, start + 100))]
            while True:  # the server's batch rate limit applies to this client too
                r = http.post("/inventory/changes", json={"changes": changes},
                              headers={"Idempotency-Key": str(uuid.uuid4())})
                if r.status_code != 429:
                    break
                time.sleep(max(1.0, float(r.headers.get("retry-after", "1"))))
            r.raise_for_status()
        return count / (time.perf_counter() - started)


def main() -> None:  # pragma: no cover - manual runs
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        run(report, Path(tmp), products=10_000, lines=100_000, samples=10, outbox=5_000)


if __name__ == "__main__":  # pragma: no cover
    main()

