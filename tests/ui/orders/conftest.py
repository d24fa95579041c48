"""Orders UI tests: a real sandbox on loopback, a real shop database, the qasync loop the app
runs sync on, and a paired till whose engine asks the sandbox for faults per request."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from marketplace_sandbox.simulator import Simulator
from sync.client import ApiClient
from sync.engine import SyncEngine
from tests.sandbox.conftest import Sandbox, Vendor, key
from tests.sync.faults import FaultTransport
from tests.ui.qasync_fixtures import core, loop, sandbox, wait_until  # noqa: F401 (fixtures)
from ui.main_window import MainWindow
from ui.sync_runner import SyncRunner, start_sync
from vendor_console.core import AppCore


@pytest.fixture
def shop_name() -> str:
    return "Orders shop"


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


def vendor_with_menu(sandbox: Sandbox) -> Vendor:  # noqa: F811
    vendor = sandbox.new_vendor()
    r = vendor.client().post("/products", headers=key(), json={
        "name": "Seeded rye", "client_ref": str(uuid.uuid4()), "dietary_tags": ["vegan"],
        "variants": [{"name": "Loaf", "price": {"amount": 650, "currency": "EUR"},
                      "track_inventory": False, "sku": "RYE"}]})
    assert r.status_code == 201, r.text
    return vendor


async def open_shop(core: AppCore, sandbox: Sandbox, qtbot: Any) -> Shop:  # noqa: F811
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
