"""Settings › Devices is gated like the other settings: a cashier sees it read-only with the
reason and cannot change a printer or the scanner; someone allowed to change settings (the
owner) can unlock it with their PIN — a manager without that permission cannot — and every
change is audited in its transaction, under the cashier and the approver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.tables import audit_log
from tests.ui.sell.conftest import Counter, FakeCore
from ui.devices.printer_settings import PrinterSettings
from ui.devices.scanner_display_settings import ScannerDisplaySettings
from ui.pages.settings import SettingsPage
from ui.sell.approval import ApprovalDialog
from ui.sell.context import forget_core, publish_core
from vendor_console.devices.device_admin import save_device_settings, save_printer
from vendor_console.devices.device_settings import DeviceSettings, load
from vendor_console.devices.printers import list_printers
from vendor_console.devices.profile import PrinterProfile
from vendor_console.errors import PermissionDenied
from vendor_console.settings import Settings
from vendor_console.status import DatabaseStatus, ShellStatus

URL = "tcp://127.0.0.1:9100"


@pytest.fixture
def core(counter: Counter) -> Iterator[FakeCore]:
    core = FakeCore(counter.shop.db, signed_in=counter.shop.cashier)
    publish_core(core)
    yield core
    forget_core()


@pytest.fixture
def page(qtbot: QtBot, core: FakeCore) -> SettingsPage:
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(1100, 1400)
    page.show()
    qtbot.waitUntil(lambda: page.devices.scanners is not None)
    return page


def _sections(page: SettingsPage) -> tuple[PrinterSettings, ScannerDisplaySettings]:
    printers, scanners = page.devices.printers, page.devices.scanners
    assert isinstance(printers, PrinterSettings)
    assert isinstance(scanners, ScannerDisplaySettings)
    return printers, scanners


def _audit(counter: Counter) -> list[tuple[str, str | None, str | None]]:
    with counter.shop.db.read() as conn:
        rows = conn.execute(select(audit_log.c.action, audit_log.c.staff_id,
                                   audit_log.c.approved_by).where(
            audit_log.c.action.in_(("printer_added", "printer_changed", "printer_removed",
                                    "device_settings_changed")))
            .order_by(audit_log.c.seq)).all()
    return [tuple(row) for row in rows]


def _approve(qtbot: QtBot, page: SettingsPage, staff_id: str, pin: str) -> ApprovalDialog:
    access = page.devices.access
    assert access is not None
    qtbot.mouseClick(access.unlock, Qt.MouseButton.LeftButton)
    dialog = access.dialog
    assert isinstance(dialog, ApprovalDialog)
    qtbot.waitUntil(lambda: dialog.who.count() == 2)  # the owner and the manager
    dialog.choose(staff_id)
    qtbot.keyClicks(dialog.pin_pad.entry, pin)
    qtbot.keyClick(dialog.pin_pad.entry, Qt.Key.Key_Return)
    return dialog


def test_a_cashier_sees_devices_read_only_with_the_reason(
        qtbot: QtBot, page: SettingsPage, counter: Counter) -> None:
    printers, scanners = _sections(page)
    access = page.devices.access
    assert access is not None and access.isVisibleTo(page)
    assert "Cal (cashier) may not change settings" in access.reason.text()
    assert access.unlock.isVisibleTo(page)
    assert printers.name.isReadOnly() and printers.address.isReadOnly()
    assert not printers.kind.isEnabled() and not printers.default.isEnabled()
    assert not any(printers.buttons[k].isEnabled() for k in ("new", "save", "remove", "drawer"))
    assert printers.buttons["status"].isEnabled()  # reading the status is not a change
    assert scanners.prefix.isReadOnly() and not scanners.save_button.isEnabled()
    qtbot.waitUntil(lambda: scanners.gap.value() == 50)

    printers.name.setText("Front")  # even if a save is asked for (a stale shortcut)
    printers.address.setText("127.0.0.1:9100")
    printers.save()
    scanners.prefix.setText("]E0")
    scanners.save()
    assert "may not change settings" in printers.message.text()
    assert "may not change settings" in scanners.message.text()
    settings = Settings(counter.shop.db)
    with pytest.raises(PermissionDenied):  # and the services refuse it themselves
        save_printer(settings, counter.shop.cashier, PrinterProfile(name="Front", url=URL),
                     printer_id=None, default=True)
    with pytest.raises(PermissionDenied):
        save_device_settings(settings, counter.shop.cashier, DeviceSettings(wedge_prefix="X"))
    assert list_printers(counter.shop.db) == []
    assert load(settings).wedge_prefix == ""
    assert _audit(counter) == []


def test_the_owner_unlocks_with_a_pin_and_each_change_is_audited(
        qtbot: QtBot, page: SettingsPage, counter: Counter, core: FakeCore) -> None:
    shop = counter.shop
    printers, scanners = _sections(page)
    access = page.devices.access
    assert access is not None
    refused = _approve(qtbot, page, shop.manager.staff_id, "2222")  # Maya may not either
    qtbot.waitUntil(lambda: "may not change settings" in refused.problem.text())
    assert not access.editable
    refused.reject()

    _approve(qtbot, page, shop.owner.staff_id, "1111")
    qtbot.waitUntil(lambda: access.editable is True)
    assert "Unlocked by Olive for Cal" in access.reason.text()
    assert printers.buttons["save"].isEnabled() and not printers.name.isReadOnly()
    printers.name.setText("Front")
    printers.address.setText("127.0.0.1:9100")
    printers.save()
    qtbot.waitUntil(lambda: printers.message.text() == "Saved Front.")
    qtbot.waitUntil(lambda: scanners.gap.value() == 50)
    scanners.prefix.setText("]E0")
    scanners.save()
    qtbot.waitUntil(lambda: scanners.message.text() == "Saved.")
    assert [p.name for p in list_printers(shop.db)] == ["Front"]
    assert load(Settings(shop.db)).wedge_prefix == "]E0"
    cal, olive = shop.cashier.staff_id, shop.owner.staff_id
    assert _audit(counter) == [("printer_added", cal, olive),
                               ("device_settings_changed", cal, olive)]

    page.hide()  # the window shows another page: the approval was for this visit
    assert access.editable is False and printers.name.isReadOnly()
    page.show()
    _approve(qtbot, page, shop.owner.staff_id, "1111")
    qtbot.waitUntil(lambda: access.editable is True)
    core.signed_in = shop.manager  # someone else signs in: the approval was not for them
    page.show_status(page_status(page))
    assert access.editable is False and printers.name.isReadOnly()
    assert "Maya (manager) may not change settings" in access.reason.text()
    core.signed_in = shop.owner  # the owner may, with no approval and no notice
    page.devices.core_ready()
    assert access.editable is True and not access.isVisibleTo(page)
    assert QApplication.activeModalWidget() is None


def page_status(page: SettingsPage) -> ShellStatus:
    """What the window passes on a status refresh (e.g. after someone signs in)."""
    return ShellStatus(shop_name="Test Bakery", currency="EUR",
                       database=DatabaseStatus(path="shop.db", ok=True, message=""),
                       sync="", printer="", staff_name="Maya", staff_role="manager")
