"""`marketplace-sandbox bench`: feed throughput and order-to-SSE latency on loopback.

Builds a vendor with `--products` products (one variant each) and `--order-lines` order lines
(5 per order) straight into a fresh SQLite file (or the given database), with their feed
changes, then starts `marketplace-sandbox serve --test-mode` in a subprocess and measures:
1. the whole feed read by one httpx client (pages of 1,000, orjson decode): rows/s;
2. order placed (POST /_test/orders) -> its `order.created` event on an open SSE stream:
   p50 / p95 latency over `--latency-samples` orders.
"""

from __future__ import annotations

import contextlib
import gc
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import insert, update

from marketplace_sandbox import auth, clock, ids
from marketplace_sandbox.db import Database, cursor_of
from marketplace_sandbox.models import changes, feed_counters, orders, products, variants
from marketplace_sandbox.vendors import create_vendor

CHUNK = 20_000
LINES_PER_ORDER = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Feed:
    """Appends change rows with consecutive sequence numbers (bulk build only)."""

    def __init__(self, db: Database, vendor_id: str) -> None:
        self.db, self.vendor_id = db, vendor_id
        with db.read() as conn:
            self.seq = int(conn.execute(feed_counters.select().where(
                feed_counters.c.vendor_id == vendor_id)).one().seq)
        self.rows: list[dict[str, Any]] = []

    def add(self, type_: str, resource_type: str, resource_id: str, data: dict[str, Any],
            now_us: int) -> None:
        self.seq += 1
        envelope = {"cursor": cursor_of(self.seq), "event_id": ids.new_id("evt"), "type": type_,
                    "resource_type": resource_type, "resource_id": resource_id,
                    "resource_version": 1, "occurred_at": clock.iso_us(now_us),
                    "actor": {"type": "system", "id": None}, "data": data}
        self.rows.append({"vendor_id": self.vendor_id, "seq": self.seq,
                          "event_id": envelope["event_id"], "type": type_,
                          "resource_type": resource_type, "resource_id": resource_id,
                          "created_us": now_us, "envelope": orjson.dumps(envelope).decode()})


def build(db: Database, n_products: int, n_lines: int) -> tuple[str, str]:
    """A vendor with the catalog and order history; returns (vendor_id, api_key)."""
    vendor_id, location_id = create_vendor(db, "Bench Bakery", currency="EUR")
    feed = _Feed(db, vendor_id)
    now_us = clock.now_us()
    now = clock.iso_us(now_us)
    variant_ids: list[str] = []
    for start in range(0, n_products, CHUNK):
        prows, vrows = [], []
        for i in range(start, min(start + CHUNK, n_products)):
            pid, vid = ids.new_id("prd"), ids.new_id("var")
            variant_ids.append(vid)
            vdoc = {"id": vid, "product_id": pid, "client_ref": None, "version": 1,
                    "name": "Default", "options": {}, "sku": f"SKU-{i:07d}", "barcode": None,
                    "price": {"amount": 100 + i % 900, "currency": "EUR"},
                    "compare_at_price": None, "cost": None, "tax_code": None, "unit": "each",
                    "precision": 0, "track_inventory": False, "inventory_policy": "DENY",
                    "position": 0, "availability": {"status": "AVAILABLE", "until": None},
                    "deleted": False, "created_at": now, "updated_at": now}
            pdoc = {"id": pid, "client_ref": None, "version": 1, "name": f"Product {i}",
                    "description": "A handmade thing of the bench catalog, made in small "
                                   "batches.", "category_id": None, "visibility": "VISIBLE",
                    "tags": [], "dietary_tags": [], "image_ids": [], "variant_ids": [vid],
                    "deleted": False, "created_at": now, "updated_at": now}
            prows.append({"id": pid, "vendor_id": vendor_id, "client_ref": None,
                          "category_id": None, "visibility": "VISIBLE", "version": 1,
                          "deleted": False, "doc": orjson.dumps(pdoc).decode()})
            vrows.append({"id": vid, "vendor_id": vendor_id, "product_id": pid,
                          "client_ref": None, "sku": vdoc["sku"], "version": 1,
                          "deleted": False, "doc": orjson.dumps(vdoc).decode()})
            feed.add("product.created", "product", pid, pdoc, now_us)
            feed.add("variant.created", "variant", vid, vdoc, now_us)
        _flush(db, vendor_id, feed, [(products, prows), (variants, vrows)])
    n_orders = n_lines // LINES_PER_ORDER
    for start in range(0, n_orders, CHUNK // LINES_PER_ORDER):
        orows = []
        for n in range(start, min(start + CHUNK // LINES_PER_ORDER, n_orders)):
            oid = ids.new_id("ord")
            lines = [{"id": f"li_{k + 1}", "variant_id": variant_ids[(n * 7 + k) %
                                                                     len(variant_ids)],
                      "product_name": f"Product {(n * 7 + k) % len(variant_ids)}",
                      "variant_name": "Default", "quantity": "1", "unit": "each",
                      "unit_price": {"amount": 450, "currency": "EUR"},
                      "total": {"amount": 450, "currency": "EUR"}}
                     for k in range(LINES_PER_ORDER)]
            odoc = {"id": oid, "number": f"B-{n}", "version": 1, "status": "COMPLETED",
                    "location_id": location_id, "line_items": lines,
                    "totals": {"total": {"amount": 2250, "currency": "EUR"}},
                    "status_history": [], "created_at": now, "updated_at": now}
            orows.append({"id": oid, "vendor_id": vendor_id, "number": odoc["number"],
                          "status": "COMPLETED", "version": 1, "accept_by_us": None,
                          "doc": orjson.dumps(odoc).decode()})
            feed.add("order.created", "order", oid, odoc, now_us)
        _flush(db, vendor_id, feed, [(orders, orows)])
    return vendor_id, auth.create_api_key(db, vendor_id)


def _flush(db: Database, vendor_id: str, feed: _Feed, batches: list[tuple[Any, list[Any]]]
           ) -> None:
    with db.write() as tx:
        for table, rows in batches:
            if rows:
                tx.conn.execute(insert(table), rows)
        tx.conn.execute(insert(changes), feed.rows)
        tx.conn.execute(update(feed_counters).where(feed_counters.c.vendor_id == vendor_id)
                        .values(seq=feed.seq))
    feed.rows = []


@contextlib.contextmanager
def serve(database_url: str, batch_per_minute: int | None = None) -> Iterator[str]:
    port = _free_port()
    extra = [] if batch_per_minute is None else ["--batch-per-minute", str(batch_per_minute)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "marketplace_sandbox.cli", "serve", "--test-mode", "--port",
         str(port), "--database", database_url, "--log-level", "warning", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url) as probe:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if probe.get("/healthz").status_code == 200:
                        break
                time.sleep(0.05)
            else:
                raise RuntimeError("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        if proc.stderr is not None:
            proc.stderr.close()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Decode a page with the cyclic garbage collector paused.

    A 1,000-change page decodes into some 10,000 dicts and lists; with the collector on, its
    generation-0 passes traverse them again and again and decoding takes twice as long
    (measured: 12.8 vs 6.1 ms per page). Decoded JSON holds no reference cycles, so reference
    counting frees it all; a client that reads feeds should decode this way too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def feed_throughput(url: str, api_key: str) -> tuple[int, float]:
    """Read the whole feed: one thread fetches pages (following the Feed-Next-Cursor header)
    while the caller decodes the previous one."""
    pages: queue.Queue[bytes | None] = queue.Queue(maxsize=4)

    def fetch() -> None:
        try:
            with httpx.Client(base_url=url + "/vendor/v1", timeout=60,
                              headers={"Authorization": f"Bearer {api_key}"}) as client:
                cursor = None
                while True:
                    params: dict[str, Any] = {"limit": 1000}
                    if cursor:
                        params["after"] = cursor
                    response = client.get("/changes", params=params)
                    response.raise_for_status()
                    pages.put(response.content)
                    cursor = response.headers["feed-next-cursor"]
                    if response.headers["feed-has-more"] != "true":
                        break
        finally:
            pages.put(None)

    rows = 0
    started = time.perf_counter()
    fetcher = threading.Thread(target=fetch, daemon=True)
    fetcher.start()
    while (body := pages.get()) is not None:
        with gc_paused():
            rows += len(orjson.loads(body)["data"])
    fetcher.join()
    return rows, time.perf_counter() - started


def order_latency(url: str, vendor_id: str, api_key: str, samples: int) -> list[float]:
    """Seconds from sending POST /_test/orders to receiving its SSE event."""
    base = url + "/vendor/v1"
    with httpx.Client(base_url=base, timeout=30,
                      headers={"Authorization": f"Bearer {api_key}"}) as api:
        product = api.post("/products", headers={"Idempotency-Key": ids.new_id("k")}, json={
            "name": "Latency loaf", "variants": [{"price": {"amount": 500,
                                                            "currency": "EUR"}}]}).json()
        variant_id = product["variants"][0]["id"]
        token = api.post("/auth/device", json={"api_key": api_key}).json()["access_token"]
    sent: dict[str, float] = {}  # customer name (unique per order) -> send time
    latencies: list[float] = []
    done = threading.Event()
    ready = threading.Event()

    def listen() -> None:
        with contextlib.suppress(httpx.HTTPError), httpx.Client(
                base_url=base, timeout=None,
                headers={"Authorization": f"Bearer {token}"}) as client, client.stream(
                "GET", "/events/stream", params={"types": "order"}) as r:
            ready.set()
            for line in r.iter_lines():
                if not line.startswith("data: "):
                    continue
                received = time.perf_counter()
                envelope = orjson.loads(line[6:])
                if envelope["type"] == "order.created":
                    start = sent.get(envelope["data"]["customer"]["display_name"])
                    if start is not None:
                        latencies.append(received - start)
                if len(latencies) >= samples:
                    done.set()
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    ready.wait(10)
    with httpx.Client(base_url=url, timeout=30) as customer:
        for n in range(samples):
            name = f"Bench customer {n}"
            sent[name] = time.perf_counter()
            customer.post("/_test/orders", json={
                "vendor_id": vendor_id, "customer_name": name,
                "lines": [{"variant_id": variant_id}]})
            time.sleep(0.02)  # pace the customers: one order at a time, as in a shop
    done.wait(30)
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(products_n: int, lines_n: int, samples: int, database: str | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(url)
        db.create_schema()
        started = time.perf_counter()
        vendor_id, api_key = build(db, products_n, lines_n)
        db.dispose()
        print(f"built {products_n:,} products and {lines_n:,} order lines in "
              f"{time.perf_counter() - started:.1f} s ({url.split(':')[0]})", flush=True)
        with serve(url) as server:
            rows, seconds = feed_throughput(server, api_key)
            print(f"feed: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s "
                  f"(budget >= 50,000)", flush=True)
            latencies = order_latency(server, vendor_id, api_key, samples)
            if latencies:
                print(f"order -> SSE event: n={len(latencies)} "
                      f"p50={percentile(latencies, 0.5) * 1000:.1f} ms "
                      f"p95={percentile(latencies, 0.95) * 1000:.1f} ms (budget p95 <= 200 ms)")
            else:
                print("order -> SSE event: no samples")
    return 0
