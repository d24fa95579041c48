"""The printer's live status in the status bar (from the emulator, under its faults), the
customer display and second screen following the sale, and a serial scanner (a pty pair,
8N1) feeding the Sell screen."""

from __future__ import annotations

import contextlib
import os
import tty
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.devices.emupos import Emupos
from tests.ui.conftest import make_status
from tests.ui.devices.conftest import front, with_printer
from tests.ui.sell.conftest import BREAD_CODE, JAM_CODE, Counter, make_page, scan, sign_in
from ui.devices.sell_hooks import DeviceHooks
from ui.main_window import MainWindow
from vendor_console.devices.device_settings import DeviceSettings
from vendor_console.devices.runtime import DeviceRuntime


def test_printer_status_reaches_the_status_bar(
        qtbot: QtBot, counter: Counter, emupos: Emupos, devices: DeviceRuntime) -> None:
    window = MainWindow(lambda: make_status(printer="No printer configured"))
    qtbot.addWidget(window)
    segment = window.shell_status_bar.printer
    assert segment.text() == "No printer configured"
    with_printer(counter.shop.db, devices, front(emupos))
    qtbot.waitUntil(lambda: segment.text() == "Printer ready")
    assert segment.property("state") == "ok"
    emupos.fault("cover-open", active=True)
    qtbot.waitUntil(lambda: segment.text() == "Printer: cover open")
    assert segment.property("state") == "problem"
    window.refresh_status()  # the core's "no printer" phrase does not hide the live one
    assert segment.text() == "Printer: cover open"
    emupos.fault("cover-open", active=False)
    emupos.fault("paper-out", active=True)
    qtbot.waitUntil(lambda: segment.text() == "Printer: out of paper")
    emupos.fault("paper-out", active=False)
    emupos.fault("offline", active=True)
    qtbot.waitUntil(lambda: "offline" in segment.text() or "not answering" in segment.text())
    emupos.fault("offline", active=False)
    emupos.fault("paper-near-end", active=True)
    qtbot.waitUntil(lambda: segment.text() == "Printer ready (paper running low)")


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    tty.setraw(master)
    try:
        yield master, os.ttyname(slave)
    finally:
        os.close(master)
        os.close(slave)


def _hooks(qtbot: QtBot, sell_page: object) -> DeviceHooks:
    hooks = getattr(sell_page, "devices", None)
    assert isinstance(hooks, DeviceHooks)
    qtbot.waitUntil(lambda: hooks.feed is not None)
    return hooks


def test_pole_display_and_second_screen_follow_the_sale(
        qtbot: QtBot, counter: Counter, devices: DeviceRuntime,
        pty_pair: tuple[int, str]) -> None:
    master, port = pty_pair
    settings = DeviceSettings(display_command_set="cd5220",
                              display_url=f"serial://{port}?baud=9600", second_screen=True)
    devices.configure(settings).result(30)
    db = counter.shop.db
    from vendor_console.devices.device_settings import save
    from vendor_console.settings import Settings

    save(Settings(db), settings)
    page = make_page(qtbot, db)
    sell = sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
    hooks = _hooks(qtbot, page)
    assert hooks.feed is not None
    window = hooks.feed.window
    assert window is not None and window.isVisible()
    scan(sell.search.box, BREAD_CODE)
    scan(sell.search.box, JAM_CODE, start_ms=60_000)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 2)
    qtbot.waitUntil(lambda: "Apricot jam" in window.item.text())
    assert window.total.text() == f"Total {sell.model.money(1050)}"
    got = b""

    def displayed() -> bool:
        nonlocal got
        os.set_blocking(master, False)
        with contextlib.suppress(BlockingIOError):
            got += os.read(master, 4096)
        return b"\x1bQBTOTAL       EUR10.50\r" in got

    qtbot.waitUntil(displayed)
    assert b"\x1bQAApricot jam  EUR6.00\r" in got  # CD5220: upper line the last item
    window.close()


def test_serial_scanner_feeds_the_sell_screen(
        qtbot: QtBot, counter: Counter, devices: DeviceRuntime,
        pty_pair: tuple[int, str]) -> None:
    master, port = pty_pair
    devices.set_scanner(port, 9600).result(30)
    page = make_page(qtbot, counter.shop.db)
    sell = sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
    _hooks(qtbot, page)
    os.write(master, BREAD_CODE.encode() + b"\r")
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    assert sell.model.item(0).snapshot.name == "Sourdough loaf"
    assert sell.search.box.text() == ""
