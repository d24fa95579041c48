"""Settings › Devices by keyboard only: add a network printer, test print, code-page test,
drawer test and status against emupos; bad input refused; edit and remove; the scanner's
wedge settings reach the Sell screen's recogniser; every control is in the tab order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.devices.emupos import Emupos
from tests.ui.sell.conftest import Counter, FakeCore
from ui.devices.bridge import bridge
from ui.devices.printer_settings import PrinterSettings
from ui.devices.scanner_display_settings import ScannerDisplaySettings
from ui.pages.settings import SettingsPage
from ui.sell.context import forget_core, publish_core
from ui.wedge import WedgeConfig
from vendor_console.devices.device_settings import load
from vendor_console.devices.printers import list_printers
from vendor_console.devices.runtime import DeviceRuntime
from vendor_console.settings import Settings

ALT = Qt.KeyboardModifier.AltModifier
SENT = "Sent to the printer: check the page."


@pytest.fixture
def settings_page(qtbot: QtBot, counter: Counter,
                  devices: DeviceRuntime) -> Iterator[SettingsPage]:
    publish_core(FakeCore(counter.shop.db, signed_in=counter.shop.owner))
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(1100, 1400)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    yield page
    forget_core()


def _printers(page: SettingsPage) -> PrinterSettings:
    printers = page.devices.printers
    assert isinstance(printers, PrinterSettings)
    return printers


def _type(qtbot: QtBot, text: str) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)


def _key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = ALT) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def test_add_try_and_remove_a_printer_by_keyboard(
        qtbot: QtBot, settings_page: SettingsPage, counter: Counter, emupos: Emupos) -> None:
    printers = _printers(settings_page)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is printers.name)  # none yet: a new one
    _type(qtbot, "Front")
    _key(qtbot, Qt.Key.Key_A)  # Alt+A: the address
    assert QApplication.focusWidget() is printers.address
    _type(qtbot, "127.0.0.1:notaport")
    _key(qtbot, Qt.Key.Key_S)  # Alt+S: save -> refused, nothing saved
    qtbot.waitUntil(lambda: printers.message.text() != "")
    assert list_printers(counter.shop.db) == []
    printers.address.selectAll()
    _type(qtbot, f"127.0.0.1:{emupos.printer_port}")
    _key(qtbot, Qt.Key.Key_I)  # Alt+I: drawer pin
    assert QApplication.focusWidget() is printers.pin
    _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)  # pin 5
    _key(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: printers.message.text() == "Saved Front.")
    saved = list_printers(counter.shop.db)
    assert [(p.name, p.profile.url, p.profile.drawer.pin, p.is_default) for p in saved] == [
        ("Front", emupos.printer_url, 5, True)]
    qtbot.waitUntil(lambda: printers.list.count() == 1 and printers.editing is not None)

    start = len(emupos.events)
    _key(qtbot, Qt.Key.Key_P)  # Alt+P: test print (a mnemonic clicks on the next loop turn)
    qtbot.waitUntil(lambda: printers.message.text() == SENT)
    done = emupos.wait_event("printer.job.completed", start)
    assert "Test print" in emupos.receipt_text(done["data"]["receipt_id"])
    start = len(emupos.events)
    printers.message.clear()
    _key(qtbot, Qt.Key.Key_C)  # Alt+C: code-page test page
    qtbot.waitUntil(lambda: printers.message.text() == SENT)
    done = emupos.wait_event("printer.job.completed", start)
    assert "ESC t 19 (CP858)" in emupos.receipt_text(done["data"]["receipt_id"])
    _key(qtbot, Qt.Key.Key_K)  # Alt+K: drawer test
    qtbot.waitUntil(lambda: printers.message.text() == "Drawer open.")
    assert emupos.drawer_state() == "open"
    emupos.fault("cover-open", active=True)
    _key(qtbot, Qt.Key.Key_U)  # Alt+U: status now
    qtbot.waitUntil(lambda: printers.status.text().startswith("Printer: cover open"))
    emupos.fault("cover-open", active=False)

    printers.message.clear()  # edit: back to pin 2, sensor polarity reversed
    _key(qtbot, Qt.Key.Key_I)
    _key(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier)
    printers.open_high.setFocus()
    _key(qtbot, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
    _key(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: printers.message.text() == "Saved Front.")
    edited = list_printers(counter.shop.db)
    assert [(p.profile.drawer.pin, p.profile.drawer.open_when_high) for p in edited] == [
        (2, False)]

    _key(qtbot, Qt.Key.Key_R)  # Alt+R: remove
    qtbot.waitUntil(lambda: printers.message.text() == "Removed Front.")
    assert list_printers(counter.shop.db) == []


def test_scanner_settings_reach_the_sell_screen_recogniser(
        qtbot: QtBot, settings_page: SettingsPage, counter: Counter) -> None:
    scanners = settings_page.devices.scanners
    assert isinstance(scanners, ScannerDisplaySettings)
    assert "keyboard country" in scanners.findChild(QWidget, "scannerKeyboardNote").text()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: scanners.gap.value() == 50)  # the saved values, loaded
    received: list[WedgeConfig] = []
    bridge().wedge_changed.connect(received.append)
    _key(qtbot, Qt.Key.Key_F)  # Alt+F: prefix
    assert QApplication.focusWidget() is scanners.prefix
    _type(qtbot, "]E0")
    _key(qtbot, Qt.Key.Key_X)  # Alt+X: suffix -> Enter
    _key(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier)
    _key(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier)
    _key(qtbot, Qt.Key.Key_Y)  # Alt+Y: display CD5220 without a port: refused
    _key(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier)
    _key(qtbot, Qt.Key.Key_V)  # Alt+V: save
    qtbot.waitUntil(lambda: "needs a port" in scanners.message.text())
    assert load(Settings(counter.shop.db)).wedge_prefix == ""  # nothing changed
    _key(qtbot, Qt.Key.Key_Y)
    _key(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier)  # no display
    _key(qtbot, Qt.Key.Key_V)
    qtbot.waitUntil(lambda: scanners.message.text() == "Saved.")
    saved = load(Settings(counter.shop.db))
    assert (saved.wedge_prefix, saved.wedge_suffix, saved.display_command_set) == (
        "]E0", "enter", "none")
    assert received and received[-1].prefix == "]E0"
    assert received[-1].suffix_keys == (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def test_every_device_control_is_in_the_tab_order(
        qtbot: QtBot, settings_page: SettingsPage) -> None:
    section = settings_page.devices
    assert section.printers is not None and section.scanners is not None
    chain: set[QWidget] = set()
    widget: QWidget | None = settings_page.nextInFocusChain()
    while widget is not None and widget is not settings_page and widget not in chain:
        chain.add(widget)
        widget = widget.nextInFocusChain()
    controls = [w for w in section.findChildren(QWidget)
                if w.metaObject().className() in (
                    "QLineEdit", "QComboBox", "QPushButton", "QCheckBox", "QSpinBox",
                    "QListWidget")]
    assert len(controls) >= 25
    unreachable = [w.objectName() for w in controls
                   if w not in chain or w.focusPolicy() == Qt.FocusPolicy.NoFocus]
    assert unreachable == []


def test_add_a_serial_printer_58mm_by_keyboard(
        qtbot: QtBot, settings_page: SettingsPage, counter: Counter, emupos: Emupos) -> None:
    printers = _printers(settings_page)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is printers.name)
    _type(qtbot, "Counter serial")
    _key(qtbot, Qt.Key.Key_T)  # Alt+T: connection -> Serial
    assert QApplication.focusWidget() is printers.kind
    _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
    assert printers.kind.currentData() == "serial" and printers.baud.isEnabled()
    _key(qtbot, Qt.Key.Key_A)
    _type(qtbot, emupos.serial_path)
    _key(qtbot, Qt.Key.Key_H)  # Alt+H: paper width -> 58 mm
    _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
    _key(qtbot, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: printers.message.text() == "Saved Counter serial.")
    saved = list_printers(counter.shop.db)[0]
    assert saved.profile.url == f"serial://{emupos.serial_path}?baud=9600"
    assert saved.profile.width_mm == 58
    qtbot.waitUntil(lambda: printers.editing is not None)
    start = len(emupos.events)
    _key(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: printers.message.text() == SENT)
    done = emupos.wait_event("printer.job.completed", start)
    text = emupos.receipt_text(done["data"]["receipt_id"])
    assert "Test print" in text and "58 mm, 32 columns, CP858" in text
