"""Orders UI tests: a real sandbox on loopback, a real shop database, the qasync loop the app
runs sync on, and a paired till whose engine asks the sandbox for faults per request."""

from __future__ import annotations

import asyncio
import gc
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
import qasync
from PySide6.QtWidgets import QApplication

from marketplace_sandbox.simulator import Simulator
from sync.client import ApiClient
from sync.engine import SyncEngine
from tests.sandbox.conftest import (
    Sandbox,
    Vendor,
    fresh_database_url,
    key,
    running_sandbox,
    sandbox_settings,
)
from tests.sync.faults import FaultTransport
from tests.sync.memkeyring import MemoryKeyring
from ui.main_window import MainWindow
from ui.sell.context import forget_core, publish_core
from ui.sync_context import current_service, forget_service
from ui.sync_runner import SyncRunner, start_sync
from vendor_console.core import AppCore
from vendor_console.paths import DataPaths
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    url = fresh_database_url(tmp_path_factory.mktemp("ui-orders-sandbox"))
    with running_sandbox(sandbox_settings(url)) as server:
        yield server


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    try:
        yield event_loop
    finally:
        event_loop.close()
        asyncio.set_event_loop(None)
        keyring.set_keyring(previous)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[AppCore]:
    # Earlier tests' Qt garbage is collected here, on the GUI thread, not later by a worker
    # thread that happens to trigger the collector (Qt warns about timers stopped there).
    gc.collect()
    app_core = AppCore.open(DataPaths(tmp_path / "till"))
    create_shop(app_core.db, ShopDraft(name="Orders shop", currency="EUR"))
    app_core.signed_in = StaffService(app_core.db).add_staff(None, "Olive", "owner", "1111")
    publish_core(app_core)
    try:
        yield app_core
    finally:
        service = current_service()
        forget_service()
        forget_core()
        from ui.workers import wait_for_threads

        wait_for_threads()
        if service is not None:
            asyncio.get_event_loop().run_until_complete(service.aclose())
        app_core.close()
        gc.collect()


async def wait_until(condition: Callable[[], Any], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


@dataclass
class Shop:
    """The window, its sync runner, the vendor on the sandbox and its simulated customers."""

    window: MainWindow
    runner: SyncRunner
    vendor: Vendor
    simulator: Simulator
    faults: FaultTransport

    def server_order(self, order_id: str) -> dict[str, Any]:
        r = self.vendor.client().get(f"/orders/{order_id}")
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def place(self, **changes: Any) -> dict[str, Any]:
        body = self.simulator.order_body(self.simulator.menu()) | changes
        r = self.simulator.client.post("/_test/orders", json=body)
        assert r.status_code == 201, r.text
        order: dict[str, Any] = r.json()
        return order


def vendor_with_menu(sandbox: Sandbox) -> Vendor:
    vendor = sandbox.new_vendor()
    r = vendor.client().post("/products", headers=key(), json={
        "name": "Seeded rye", "client_ref": str(uuid.uuid4()), "dietary_tags": ["vegan"],
        "variants": [{"name": "Loaf", "price": {"amount": 650, "currency": "EUR"},
                      "track_inventory": False, "sku": "RYE"}]})
    assert r.status_code == 201, r.text
    return vendor


async def open_shop(core: AppCore, sandbox: Sandbox, qtbot: Any) -> Shop:
    """Pair the till, run sync on this loop (requests pass a fault transport)."""
    vendor = vendor_with_menu(sandbox)
    window = MainWindow(core.shell_status)
    qtbot.addWidget(window)
    runner = start_sync(window)
    assert runner is not None
    service = runner.service
    await service.pair(vendor.server.url, api_key=vendor.api_key)
    faults = FaultTransport()
    service._engine = SyncEngine(core.db, ApiClient(service.base_url, service.store(),
                                                    transport=faults))
    runner.start()
    sim = Simulator(sandbox.http, vendor.vendor_id, random.Random(3))
    return Shop(window, runner, vendor, sim, faults)
