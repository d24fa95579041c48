"""At the counter with a real (emulated) receipt printer: the sale's receipt rendered by
emupos, the drawer fired for cash only, a printer that is off never blocks the sale, an
uncertain receipt is asked about (never reprinted on its own), reprint on demand, and
"no sale" gated by the NO_SALE permission and audited."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.tables import audit_log, print_jobs
from tests.devices.emupos import Emupos, free_port
from tests.ui.devices.conftest import front, with_printer
from tests.ui.sell.conftest import BREAD_CODE, Counter, make_page, scan, sign_in
from ui import workers
from ui.devices import futures
from ui.sell.approval import ApprovalDialog
from ui.sell.flows import SellScreen
from ui.sell.receipt_view import ReceiptDialog
from ui.sell.shift_dialogs import ShiftDialog
from vendor_console.devices.printers import list_printers
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.runtime import DeviceRuntime
from vendor_console.services.pricing import Tender
from vendor_console.services.shifts import ShiftService


def _jobs(counter: Counter) -> list[tuple[str, str | None]]:
    with counter.shop.db.read() as conn:
        return [(r.status, r.reprint_of) for r in conn.execute(
            select(print_jobs.c.status, print_jobs.c.reprint_of).order_by(print_jobs.c.seq))]


def _sell_bread(qtbot: QtBot, counter: Counter, pin: str = "3333",
                staff: str | None = None) -> SellScreen:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 5000)
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, staff or shop.cashier.staff_id, pin)
    scan(sell.search.box, BREAD_CODE)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    return sell


def _receipt(qtbot: QtBot, sell: SellScreen) -> ReceiptDialog:
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    dialog = sell.active_dialog
    assert isinstance(dialog, ReceiptDialog)
    qtbot.waitUntil(lambda: dialog.document is not None)
    return dialog


def test_cash_sale_prints_the_receipt_and_opens_the_drawer(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    with_printer(counter.shop.db, devices, front(emupos))
    sell = _sell_bread(qtbot, counter)
    start = len(emupos.events)
    sell.complete([Tender("CASH", 450, 500)])
    receipt = _receipt(qtbot, sell)
    completed = emupos.wait_event("printer.job.completed", start)
    text = emupos.receipt_text(completed["data"]["receipt_id"])
    assert receipt.document is not None
    assert f"Receipt {receipt.document.receipt_number}" in text and "Sourdough loaf" in text
    assert "€4.50" in text and "€0.50" in text  # total and change, in the shop's locale
    qtbot.waitUntil(lambda: emupos.drawer_state() == "open")
    qtbot.waitUntil(lambda: _jobs(counter) == [("printed", None)])
    qtbot.waitUntil(lambda: "Receipt sent to the printer." in sell.notice.text())

    # Reprint on demand from the receipt window (Ctrl+P): a new job pointing at the first.
    start = len(emupos.events)
    qtbot.keyClick(receipt, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(_jobs(counter)) == 2 and _jobs(counter)[1][0] == "printed")
    assert _jobs(counter)[1][1] is not None
    again = emupos.wait_event("printer.job.completed", start)
    assert receipt.document.receipt_number in emupos.receipt_text(again["data"]["receipt_id"])
    assert receipt.print_status.text() == "Printing again."


def test_card_sale_prints_without_opening_the_drawer(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    with_printer(counter.shop.db, devices, front(emupos))
    sell = _sell_bread(qtbot, counter)
    sell.complete([Tender("CARD", 450, reference="AUTH-1")])
    _receipt(qtbot, sell)
    qtbot.waitUntil(lambda: _jobs(counter) == [("printed", None)])
    assert emupos.drawer_state() == "closed"


def test_printer_off_never_blocks_the_sale(
        qtbot: QtBot, counter: Counter, devices: DeviceRuntime) -> None:
    with_printer(counter.shop.db, devices, PrinterProfile(
        name="Off", url=f"tcp://127.0.0.1:{free_port()}", connect_timeout=1))
    sell = _sell_bread(qtbot, counter)
    sell.complete([Tender("CASH", 450, 500)])
    receipt = _receipt(qtbot, sell)  # the sale is done and shown at once
    assert "Sourdough loaf" in receipt.text.toPlainText()
    qtbot.waitUntil(lambda: "prints when the printer is back" in sell.notice.text())
    assert _jobs(counter)[0][0] == "pending"  # kept for when the printer is back


def test_no_printer_keeps_the_receipt_on_screen(
        qtbot: QtBot, counter: Counter, devices: DeviceRuntime) -> None:
    sell = _sell_bread(qtbot, counter)
    sell.complete([Tender("CASH", 450, 500)])
    _receipt(qtbot, sell)
    qtbot.waitUntil(lambda: "the receipt is on screen" in sell.notice.text())
    assert _jobs(counter) == []


class NeverConfirms:
    """A printer that answers status (all fine) but never confirms a job (no GS r reply):
    the bytes went out, whether they printed is unknown. A real socket on 127.0.0.1."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs = 0
        self._conn: socket.socket | None = None
        self._lock = threading.Lock()
        self._closing = False
        self._thread = threading.Thread(target=self._serve, name="never-confirms", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with self._lock:
                if self._closing:
                    conn.close()
                    return
                self._conn = conn
            with conn, contextlib.suppress(OSError):  # OSError: closed under us
                got_job = False
                while data := conn.recv(4096):
                    if len(data) > 3:
                        got_job = True
                    for i in range(len(data) - 2):
                        if data[i:i + 2] == b"\x10\x04":  # DLE EOT n: "online, all fine"
                            conn.sendall(b"\x12")
                self.jobs += got_job

    def close(self) -> None:
        """Stop serving: wake the thread from accept or recv, and join it."""
        with self._lock:
            self._closing = True
        for sock in (self.server, self._conn):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(10)
        self.server.close()
        assert not self._thread.is_alive(), "the mute printer's thread did not stop"


@pytest.fixture
def never_confirms() -> Iterator[NeverConfirms]:
    printer = NeverConfirms()
    yield printer
    printer.close()


def test_uncertain_receipt_asks_the_cashier(
        qtbot: QtBot, counter: Counter, devices: DeviceRuntime,
        never_confirms: NeverConfirms) -> None:
    with_printer(counter.shop.db, devices, PrinterProfile(
        name="Mute", url=f"tcp://127.0.0.1:{never_confirms.port}", job_timeout=1,
        status_timeout=2))
    sell = _sell_bread(qtbot, counter)
    sell.complete([Tender("CARD", 450, reference="AUTH-2")])
    outcomes = sell.parent().devices.outcomes  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(outcomes.asking) == 1)
    assert _jobs(counter) == [("unknown", None)]
    assert never_confirms.jobs == 1  # not sent again on its own
    box: QMessageBox = next(iter(outcomes.asking.values()))
    assert "may or may not have printed" in box.text()
    again = box.findChild(QPushButton, "receiptPrintAgain")
    assert again is not None
    again.click()  # the cashier says it did not print: sent once more
    qtbot.waitUntil(lambda: never_confirms.jobs == 2 and len(outcomes.asking) == 1)
    box = next(iter(outcomes.asking.values()))
    printed = box.findChild(QPushButton, "receiptPrinted")
    assert printed is not None
    printed.click()
    qtbot.waitUntil(lambda: _jobs(counter) == [("printed", None)])
    assert never_confirms.jobs == 2


def _no_sale_rows(counter: Counter) -> list[tuple[str, str | None]]:
    with counter.shop.db.read() as conn:
        return [(r.staff_id, r.approved_by) for r in conn.execute(
            select(audit_log.c.staff_id, audit_log.c.approved_by)
            .where(audit_log.c.action == "no_sale"))]


def test_no_sale_needs_a_manager_and_is_audited(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    shop = counter.shop
    with_printer(shop.db, devices, front(emupos))
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())
    qtbot.keyClick(sell.search.box, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ApprovalDialog))
    approval = sell.active_dialog
    assert isinstance(approval, ApprovalDialog)
    assert emupos.drawer_state() == "closed" and _no_sale_rows(counter) == []
    qtbot.waitUntil(lambda: approval.who.count() == 2)
    approval.choose(shop.manager.staff_id)
    for digit in "2222":
        approval.pin_pad.digit_buttons[digit].click()
    approval.pin_pad.submit_button.click()
    qtbot.waitUntil(lambda: sell.notice.text() == "No sale: Drawer open.")
    assert emupos.drawer_state() == "open"
    assert _no_sale_rows(counter) == [(shop.cashier.staff_id, shop.manager.staff_id)]


def test_no_sale_by_a_manager_opens_at_once(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    shop = counter.shop
    with_printer(shop.db, devices, front(emupos))
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, shop.manager.staff_id, "2222")
    sell.buttons["no_sale"].click()
    qtbot.waitUntil(lambda: sell.notice.text() == "No sale: Drawer open.")
    assert emupos.drawer_state() == "open"
    assert _no_sale_rows(counter) == [(shop.manager.staff_id, None)]
    assert list_printers(shop.db)[0].name == "Front"


def test_x_and_z_reports_print(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    with_printer(counter.shop.db, devices, front(emupos))
    sell = _sell_bread(qtbot, counter, pin="2222", staff=counter.shop.manager.staff_id)
    sell.complete([Tender("CASH", 450, 500)])
    _receipt(qtbot, sell).accept()
    sell.show_shift()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ShiftDialog))
    shift = sell.active_dialog
    assert isinstance(shift, ShiftDialog)
    qtbot.waitUntil(lambda: shift.shift is not None)
    shift.buttons["x"].click()
    qtbot.waitUntil(lambda: shift.report.toPlainText() != "")
    emupos.sync()
    start = len(emupos.events)
    shift.buttons["print"].click()
    qtbot.waitUntil(lambda: shift.problem.text() == "Report sent to the printer.")
    done = emupos.wait_event("printer.job.completed", start)
    text = emupos.receipt_text(done["data"]["receipt_id"])
    assert "X report - shift 1" in text and "Sales (1): €4.50" in text
    assert "Expected in drawer: €54.50" in text
    shift.close_with("54.50")
    qtbot.waitUntil(lambda: shift.report.toPlainText().startswith("Z report"))
    start = len(emupos.events)
    shift.problem.clear()
    shift.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shift)
    qtbot.keyClick(shift, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shift.problem.text() == "Report sent to the printer.")
    done = emupos.wait_event("printer.job.completed", start)
    text = emupos.receipt_text(done["data"]["receipt_id"])
    assert "Z report - shift 1" in text and "Difference: €0.00 (exact)" in text


def test_a_receipt_cut_off_by_a_crash_is_asked_about_at_start(
        qtbot: QtBot, counter: Counter, emupos: Emupos) -> None:
    """A job left "sending" when the app stopped becomes "unknown" when the device thread
    starts; the Sell page asks the cashier about it and nothing is printed on its own."""
    from vendor_console.devices.print_queue import PrintQueue
    from vendor_console.devices.printers import add_printer
    from vendor_console.devices.receipt_builder import build_test_page

    db = counter.shop.db
    printer = add_printer(db, front(emupos))
    queue = PrintQueue(db)
    job_id = queue.enqueue(printer.id, "test", build_test_page(printer.profile))
    with db.engine.begin() as conn:  # as the crash left it: on the wire
        conn.execute(print_jobs.update().values(status="sending"))
    from ui.devices.bridge import forget_runtime, publish_runtime

    runtime = DeviceRuntime(db, interval=0.5)
    publish_runtime(runtime)
    runtime.start()
    try:
        assert runtime.interrupted == 1
        page = make_page(qtbot, db)
        sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
        outcomes = page.devices.outcomes  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: job_id in outcomes.asking)
        box = outcomes.asking[job_id]
        assert "app stopped while this receipt was being sent" in box.text()
        assert queue.get(job_id).status == "unknown"
        printed = box.findChild(QPushButton, "receiptPrinted")
        assert printed is not None
        printed.click()
        qtbot.waitUntil(lambda: queue.get(job_id).status == "printed")
    finally:
        qtbot.waitUntil(lambda: futures.pending() == 0)
        forget_runtime()
        runtime.stop()
        workers.wait_for_threads()
        qtbot.waitUntil(lambda: workers.pending() == 0)


def test_paper_out_the_drawer_still_opens_and_the_receipt_waits(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    with_printer(counter.shop.db, devices, front(emupos))
    sell = _sell_bread(qtbot, counter)
    emupos.fault("paper-out", active=True)
    sell.complete([Tender("CASH", 450, 500)])
    _receipt(qtbot, sell)
    qtbot.waitUntil(lambda: emupos.drawer_state() == "open")  # real-time pulse
    qtbot.waitUntil(lambda: "out of paper" in sell.notice.text())
    assert _jobs(counter) == [("pending", None)]
    start = len(emupos.events)
    emupos.fault("paper-out", active=False)  # new roll: the receipt prints once, by itself
    done = emupos.wait_event("printer.job.completed", start)
    assert "Sourdough loaf" in emupos.receipt_text(done["data"]["receipt_id"])
    qtbot.waitUntil(lambda: _jobs(counter) == [("printed", None)])
