"""The device thread (Qt-free): a completed sale queued, printed by the emulator and the
drawer fired on cash; "no sale" permission-gated and audited; a printer that is off keeps
the receipt; reprint on demand; events reach subscribers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from local_db.tables import audit_log
from tests.conftest import ShopFixture
from tests.devices.emupos import Emupos, free_port
from vendor_console.devices.print_queue import PrintQueue
from vendor_console.devices.printers import add_printer, list_printers
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.receipt_builder import build_test_page
from vendor_console.devices.runtime import (
    DeviceEvent,
    DeviceRuntime,
    JobFinished,
    PrinterStatusChanged,
)
from vendor_console.errors import PermissionDenied
from vendor_console.services.sale_records import SaleRecord

WAIT = 30


class Events:
    def __init__(self) -> None:
        self.items: list[DeviceEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: DeviceEvent) -> None:
        with self._changed:
            self.items.append(event)
            self._changed.notify_all()

    def wait_for(self, kind: type, test: object = None) -> DeviceEvent:
        with self._changed:
            found = self._changed.wait_for(lambda: next(
                (e for e in self.items if isinstance(e, kind)
                 and (test is None or test(e))), None), WAIT)  # type: ignore[operator]
            assert found is not None, self.items
            return found


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


def _front(emu: Emupos) -> PrinterProfile:
    return PrinterProfile(name="Front", url=emu.printer_url, status_timeout=5, job_timeout=20)


def test_a_cash_sale_prints_and_opens_the_drawer(
        emupos: Emupos, shop: ShopFixture, sale: SaleRecord,
        runtime: tuple[DeviceRuntime, Events]) -> None:
    devices, events = runtime
    add_printer(shop.db, _front(emupos))
    devices.reload_printers().result(WAIT)
    start = len(emupos.events)
    done = devices.print_sale(sale.id, open_drawer=True).result(WAIT)
    assert done.job_id is not None and done.drawer is not None and done.drawer.drawer_open
    assert emupos.drawer_state() == "open"
    finished = events.wait_for(JobFinished)
    assert isinstance(finished, JobFinished) and finished.sale_id == sale.id
    assert finished.result.outcome == "printed"
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    assert f"Receipt {sale.receipt_number}" in emupos.receipt_text(receipt_id)
    # The printer's latest status (not whichever came first: "1 receipt waiting" may be
    # reported while the job is queued) settles on ready once the receipt is out.
    def latest_is_ready(_event: object) -> bool:
        statuses = [e for e in events.items if isinstance(e, PrinterStatusChanged)]
        return bool(statuses) and statuses[-1].text == "Printer ready"

    status = events.wait_for(PrinterStatusChanged, latest_is_ready)
    assert isinstance(status, PrinterStatusChanged)


def test_without_a_printer_the_receipt_stays_on_screen(
        shop: ShopFixture, sale: SaleRecord, runtime: tuple[DeviceRuntime, Events]) -> None:
    devices, _ = runtime
    done = devices.print_sale(sale.id, open_drawer=True).result(WAIT)
    assert (done.job_id, done.drawer) == (None, None) and "on screen" in done.message


def test_printer_off_keeps_the_receipt_then_prints_it(
        emupos: Emupos, shop: ShopFixture, sale: SaleRecord,
        runtime: tuple[DeviceRuntime, Events]) -> None:
    devices, events = runtime
    add_printer(shop.db, PrinterProfile(name="Off", url=f"tcp://127.0.0.1:{free_port()}",
                                        connect_timeout=1))
    devices.reload_printers().result(WAIT)
    done = devices.print_sale(sale.id).result(WAIT)
    finished = events.wait_for(JobFinished)
    assert isinstance(finished, JobFinished) and finished.result.outcome == "not_sent"
    queue = PrintQueue(shop.db)
    assert queue.get(str(done.job_id)).status == "pending"  # kept, not lost
    # The printer comes back (here: pointed at the emulator): the job prints once.
    from vendor_console.devices.printers import update_printer

    printer = list_printers(shop.db)[0]
    update_printer(shop.db, printer.id, _front(emupos))
    start = len(emupos.events)
    devices.reload_printers().result(WAIT)
    events.wait_for(JobFinished, lambda e: e.result.outcome == "printed")
    assert queue.get(str(done.job_id)).status == "printed"
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    assert sale.receipt_number in emupos.receipt_text(receipt_id)


def test_reprint_and_other_documents(
        emupos: Emupos, shop: ShopFixture, sale: SaleRecord,
        runtime: tuple[DeviceRuntime, Events]) -> None:
    devices, events = runtime
    add_printer(shop.db, _front(emupos))
    devices.reload_printers().result(WAIT)
    first = devices.print_sale(sale.id).result(WAIT).job_id
    events.wait_for(JobFinished, lambda e: e.job_id == first)
    again = devices.reprint_sale(sale.id).result(WAIT)
    events.wait_for(JobFinished, lambda e: e.job_id == again)
    assert PrintQueue(shop.db).get(str(again)).reprint_of == first
    test_job = devices.print_document("test", build_test_page).result(WAIT)
    events.wait_for(JobFinished, lambda e: e.job_id == test_job)
    emupos.sync()  # every receipt emupos finished has reached us
    texts = [emupos.receipt_text(e["data"]["receipt_id"]) for e in emupos.events
             if e["type"] == "printer.job.completed"]
    assert "Test print" in texts[-1]
    assert sum(sale.receipt_number in text for text in texts[-3:]) == 2  # sale + reprint


def test_no_sale_needs_the_permission_and_is_audited(
        emupos: Emupos, shop: ShopFixture, runtime: tuple[DeviceRuntime, Events]) -> None:
    devices, _ = runtime
    add_printer(shop.db, _front(emupos))
    devices.reload_printers().result(WAIT)
    with pytest.raises(PermissionDenied):
        devices.no_sale(shop.cashier).result(WAIT)
    assert emupos.drawer_state() == "closed"
    result = devices.no_sale(shop.cashier, shop.manager, reason="change for the float")
    assert result.result(WAIT).drawer_open
    with shop.db.read() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == "no_sale")).all()
    assert len(rows) == 1
    assert rows[0].staff_id == shop.cashier.staff_id
    assert rows[0].approved_by == shop.manager.staff_id
