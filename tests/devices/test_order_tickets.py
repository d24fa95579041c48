"""Kitchen/packing tickets for accepted online orders, printed by the emupos emulator through
the device runtime on the printers chosen for them — and on no printer when none is chosen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.conftest import ShopFixture
from tests.devices.emupos import Emupos
from tests.devices.test_runtime import WAIT, Events
from vendor_console.devices.printers import add_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.runtime import DeviceRuntime, JobFinished
from vendor_console.order_ticket_settings import set_ticket_printer, ticket_printers
from vendor_console.order_tickets import print_ticket, ticket_text
from vendor_console.services.order_queue import OrderCard, OrderLineView
from vendor_console.settings import Settings, spec_for

CARD = OrderCard(
    "o1", "ord_1", "A-1042", "CONFIRMED", "CONFIRMED", "PICKUP", "Ana P.", "no nuts please",
    "1234", "EUR", 1300, datetime.now(UTC), None, None, None, None,
    (OrderLineView("Seeded rye – Loaf", "2", 1300, "sliced", ("vegan",)),))


@pytest.fixture
def runtime(shop: ShopFixture) -> Iterator[tuple[DeviceRuntime, Events]]:
    events = Events()
    devices = DeviceRuntime(shop.db, interval=0.5)
    devices.subscribe(events)
    devices.start()
    try:
        yield devices, events
    finally:
        devices.stop()


def test_ticket_text_has_what_the_kitchen_needs() -> None:
    text = ticket_text(CARD, 15)
    assert text.splitlines()[0] == "ORDER A-1042"
    for part in ("Pickup - Ana P.", "Ready in 15 min", "2 x Seeded rye – Loaf", "note: sliced",
                 "[vegan]", "Customer note: no nuts please"):
        assert part in text


def test_ticket_prints_only_on_the_chosen_printers(
        emupos: Emupos, shop: ShopFixture, runtime: tuple[DeviceRuntime, Events]) -> None:
    devices, events = runtime
    settings = Settings(shop.db)
    add_printer(shop.db, PrinterProfile(name="Kitchen", url=emupos.printer_url,
                                        status_timeout=5, job_timeout=20), default=True)
    devices.reload_printers().result(WAIT)
    assert print_ticket(devices, settings, CARD, 15) == []  # off by default
    assert spec_for("orders.ticket_printers").default == ""
    assert set_ticket_printer(settings, "Kitchen", True) == ["Kitchen"]
    assert ticket_printers(settings) == ["Kitchen"]
    start = len(emupos.events)
    futures = print_ticket(devices, settings, CARD, 15)
    assert len(futures) == 1
    job = futures[0].result(WAIT)
    assert job is not None
    finished = events.wait_for(JobFinished, lambda e: e.job_id == job)
    assert isinstance(finished, JobFinished) and finished.result.outcome == "printed"
    receipt = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    printed = emupos.receipt_text(receipt)
    assert "ORDER A-1042" in printed and "no nuts please" in printed
    assert set_ticket_printer(settings, "Kitchen", False) == []
