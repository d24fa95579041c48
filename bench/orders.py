"""Orders benchmark (DESIGN.md §9): an order placed on the marketplace → visible in the Orders
page's New lane, p95, online. The whole way: the sandbox in its own process on loopback, its
push channel, the feed pull, the mirror write, the change set, the queue reload in a worker
and the lane model on the GUI thread (qasync loop, offscreen Qt), as in the app."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import keyring

from bench.common import Report, pct, verdict
from bench.marketplace import MemoryKeyring, build_server, pair
from local_db.database import Database
from sync.client import ApiClient
from sync.engine import SyncEngine
from sync.keystore import TokenStore
from vendor_console.services.shop import ShopDraft, create_shop

if TYPE_CHECKING:
    from ui.orders.page import OrdersPage


def run(report: Report, work: Path, *, samples: int, products: int = 200,
        lines: int = 2000) -> None:
    import qasync
    from PySide6.QtWidgets import QApplication, QMainWindow

    from marketplace_sandbox import bench as server_bench
    from ui.orders.page import OrdersPage
    from ui.orders.queue import OrderQueue
    from vendor_console.services.order_desk import OrderDesk

    keyring.set_keyring(MemoryKeyring())
    url, vendor_id, api_key = build_server(work / "orders-server.db", products, lines)
    app = QApplication.instance() or QApplication([])
    with server_bench.serve(url) as server, httpx.Client(base_url=server, timeout=30) as http:
        db = Database.open(work / "orders-client.db")
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        window = QMainWindow()
        try:
            create_shop(db, ShopDraft(name="Bench", currency="EUR"))
            store = TokenStore("bench-orders")
            loop.run_until_complete(pair(server, store, api_key))
            queue = OrderQueue(window, OrderDesk(db))
            page = OrdersPage()
            window.setCentralWidget(page)
            page.attach()
            menu = http.get(f"/_test/vendors/{vendor_id}/menu").json()["data"][:5]
            variant = menu[0]["variants"][0]["variant_id"]

            latencies = loop.run_until_complete(
                _measure(db, server, store, http, vendor_id, variant, page, samples))
            rings = queue.bell.rings
        finally:
            from ui.workers import wait_for_threads

            wait_for_threads()
            window.deleteLater()
            loop.close()
            asyncio.set_event_loop(None)
            db.close()
    p95 = pct([x * 1000 for x in latencies], 95)
    report.notes.append(f"orders: {len(latencies)} orders placed on the sandbox, {rings} "
                        "rings (one per order)")
    report.add("orders", f"order placed -> visible in the queue, p95 (n={len(latencies)})",
               f"{p95:.0f} ms", "", "<= 1000 ms", verdict(p95 <= 1000))


async def _measure(db: Database, server: str, store: TokenStore,  # noqa: PLR0917
                   http: httpx.Client, vendor_id: str, variant: str, page: OrdersPage,
                   samples: int) -> list[float]:
    def shown(order_id: str) -> bool:
        return any(c.remote_id == order_id for c in page.models["new"].cards)

    engine = SyncEngine(db, ApiClient(server, store))
    await engine.pull()  # the history first: the queue then starts live
    task = asyncio.ensure_future(engine.run(idle_s=3600))
    latencies: list[float] = []
    try:
        while engine.live.mode != "stream":
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        for _ in range(samples):
            started = time.perf_counter()
            r = await asyncio.to_thread(http.post, "/_test/orders", json={
                "vendor_id": vendor_id, "lines": [{"variant_id": variant, "quantity": "1"}]})
            order_id = r.json()["id"]
            while not shown(order_id):
                await asyncio.sleep(0.002)
            latencies.append(time.perf_counter() - started)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await engine.client.aclose()
    return latencies
