"""The kitchen/packing ticket on accept, from the order queue page by keyboard (Alt+A), printed
by the emupos ESC/POS emulator through the device runtime: nothing prints while no printer is
chosen in ``orders.ticket_printers``; once one is chosen (the page's "Tickets on accept" menu),
the next accepted order's ticket comes out on it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from local_db.tables import print_jobs
from tests.devices.conftest import emupos, emupos_session  # noqa: F401 (fixtures)
from tests.devices.emupos import Emupos
from tests.sandbox.conftest import Sandbox
from tests.ui.orders.conftest import Shop, open_shop, wait_until
from ui import workers
from ui.devices import futures
from ui.devices.bridge import forget_runtime, publish_runtime
from ui.orders.page import OrdersPage
from vendor_console.core import AppCore
from vendor_console.devices.printers import add_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.runtime import DeviceRuntime
from vendor_console.order_ticket_settings import ticket_printers

pytestmark = pytest.mark.qt_no_exception_capture

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def devices(loop: asyncio.AbstractEventLoop, core: AppCore,
            emupos: Emupos) -> Iterator[DeviceRuntime]:  # noqa: F811
    """The device thread over the till's database with the emulator as printer "Kitchen"
    (set up, but not chosen for tickets), published like the app does at start-up. (The
    loop first: the till is closed on it.)"""
    add_printer(core.db, PrinterProfile(name="Kitchen", url=emupos.printer_url,
                                        status_timeout=5, job_timeout=20), default=True)
    runtime = DeviceRuntime(core.db, interval=0.5)
    publish_runtime(runtime)
    runtime.start()
    try:
        yield runtime
    finally:
        forget_runtime()
        runtime.stop()
        workers.wait_for_threads()


def ticket_jobs(core: AppCore) -> list[tuple[str, bytes]]:
    with core.db.read() as conn:
        return [(r.status, r.payload) for r in conn.execute(
            select(print_jobs.c.status, print_jobs.c.payload)
            .where(print_jobs.c.kind == "order_ticket").order_by(print_jobs.c.seq))]


async def accept_by_keyboard(shop: Shop, page: OrdersPage, qtbot: Any,
                             order: dict[str, Any]) -> None:
    await wait_until(lambda: any(c.remote_id == order["id"] for c in page.models["new"].cards))
    card = next(c for c in page.models["new"].cards if c.remote_id == order["id"])
    page.tabs.setCurrentIndex(0)
    page.select(card.id)
    await wait_until(page.panel.buttons["accept"].isEnabled)
    qtbot.keyClick(page, Qt.Key.Key_A, ALT)
    await wait_until(lambda: shop.server_order(order["id"])["status"] == "CONFIRMED")
    await wait_until(lambda: f"Order {order['number']}: accept" in page.message.text())


@pytest.mark.usefixtures("devices")
def test_accepting_an_order_prints_its_ticket_only_on_a_chosen_printer(
        loop: asyncio.AbstractEventLoop, core: AppCore, sandbox: Sandbox, qtbot: Any,
        emupos: Emupos) -> None:  # noqa: F811
    async def scenario() -> None:
        shop = await open_shop(core, sandbox, qtbot)
        window = shop.window
        page = window.show_page("orders")
        assert isinstance(page, OrdersPage)
        window.show()
        window.activateWindow()
        await wait_until(lambda: QApplication.activeWindow() is window)
        await wait_until(page.online)

        # No ticket printer chosen: the accepted order prints nothing.
        assert ticket_printers(core.settings) == []
        first = shop.place(fulfillment_type="PICKUP", note="first order")
        await accept_by_keyboard(shop, page, qtbot, first)
        await wait_until(lambda: workers.pending() == 0 and futures.pending() == 0)
        assert ticket_jobs(core) == []

        # Choose "Kitchen" in the page's ticket menu, as the owner would.
        page.tickets.refresh()
        await wait_until(lambda: [a.text() for a in page.tickets.menu_.actions()] == ["Kitchen"])
        kitchen = page.tickets.menu_.actions()[0]
        assert not kitchen.isChecked()
        kitchen.setChecked(True)
        await wait_until(lambda: ticket_printers(core.settings) == ["Kitchen"])

        start = len(emupos.events)
        second = shop.place(fulfillment_type="PICKUP", note="no nuts please")
        page.panel.prep_minutes.setValue(12)
        await accept_by_keyboard(shop, page, qtbot, second)
        await wait_until(lambda: any(e["type"] == "printer.job.completed"
                                     for e in emupos.events[start:]))
        done = next(e for e in emupos.events[start:] if e["type"] == "printer.job.completed")
        printed = emupos.receipt_text(done["data"]["receipt_id"])
        assert f"ORDER {second['number']}" in printed
        assert "Ready in 12 min" in printed and "no nuts please" in printed
        await wait_until(lambda: [s for s, _p in ticket_jobs(core)] == ["printed"])
        payload = ticket_jobs(core)[0][1]
        assert f"ORDER {second['number']}".encode() in payload
        assert f"ORDER {first['number']}".encode() not in payload
        await shop.runner.service.stop()

    loop.run_until_complete(scenario())
