"""A device-settings save is one transaction: when the database refuses a write half-way
through (here a trigger on the real SQLite file refuses the last setting), nothing of the
change is kept, the previous settings still apply and the page says so clearly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from local_db.database import Database
from local_db.writer import Tx
from tests.ui.sell.conftest import Counter, FakeCore
from ui.devices.scanner_display_settings import ScannerDisplaySettings
from ui.pages.settings import SettingsPage
from ui.sell.context import forget_core, publish_core
from vendor_console.devices.device_settings import DeviceSettings, load, save
from vendor_console.settings import Settings

REFUSE_LAST = """
CREATE TRIGGER refuse_{when} BEFORE {when} ON settings
WHEN NEW.key = 'display.second_screen'
BEGIN SELECT RAISE(ABORT, 'disk I/O refused (test)'); END
"""


def refuse_second_screen(db: Database) -> None:
    """The last of the device settings written can no longer be stored."""
    def install(tx: Tx) -> None:
        for when in ("INSERT", "UPDATE"):
            tx.conn.exec_driver_sql(REFUSE_LAST.format(when=when))

    db.write(install)


@pytest.fixture
def scanners(qtbot: QtBot, counter: Counter) -> Iterator[ScannerDisplaySettings]:
    publish_core(FakeCore(counter.shop.db, signed_in=counter.shop.owner))
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    qtbot.waitUntil(lambda: page.devices.scanners is not None)
    section = page.devices.scanners
    assert isinstance(section, ScannerDisplaySettings)
    qtbot.waitUntil(lambda: section.gap.value() == 50)  # the saved values, loaded
    yield section
    forget_core()


def test_a_save_refused_half_way_keeps_the_previous_settings(
        qtbot: QtBot, counter: Counter, scanners: ScannerDisplaySettings) -> None:
    db = counter.shop.db
    before = save(Settings(db), DeviceSettings(wedge_prefix="]E0", wedge_suffix="enter",
                                               wedge_max_gap_ms=60))
    refuse_second_screen(db)
    scanners.prefix.setText("XX")
    scanners.gap.setValue(120)
    scanners.serial_port.setText("/dev/ttyACM0")
    scanners.second_screen.setChecked(True)
    scanners.save_button.click()
    qtbot.waitUntil(lambda: scanners.message.text() != "")
    message = scanners.message.text()
    assert message.startswith("The scanner and display settings were not saved")
    assert "Nothing was changed" in message and "disk I/O refused (test)" in message
    assert load(Settings(db)) == before  # not one of the four changes was kept
    assert QApplication.activeModalWidget() is None  # an expected problem, not a crash dialog
