"""The device thread starts with the core (after the first paint, on the start-up worker) and
stops before the database closes; the saved wedge settings drive the Sell screen's scanner."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.sell.conftest import BREAD_CODE, Counter, make_page, scan, sign_in
from ui.devices.bridge import current_runtime
from ui.devices.sell_hooks import DeviceHooks
from vendor_console.devices.device_settings import DeviceSettings, save
from vendor_console.gui_entry import Startup
from vendor_console.paths import DataPaths
from vendor_console.settings import Settings


def test_startup_starts_and_stops_the_device_thread(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    paths.ensure()
    startup = Startup(paths, demo=False)
    assert current_runtime() is None
    startup.open()
    runtime = current_runtime()
    try:
        assert runtime is not None and runtime.running
        assert any(t.name == "devices" for t in threading.enumerate())
    finally:
        startup.close()
    assert current_runtime() is None and not runtime.running


def test_saved_scanner_prefix_is_what_the_sell_screen_expects(
        qtbot: QtBot, counter: Counter) -> None:
    db = counter.shop.db
    save(Settings(db), DeviceSettings(wedge_prefix="]E0", wedge_suffix="enter"))
    page = make_page(qtbot, db)
    sell = sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
    hooks = page.devices
    assert isinstance(hooks, DeviceHooks)
    qtbot.waitUntil(lambda: page.scanner.config.prefix == "]E0")
    scan(sell.search.box, "]E0" + BREAD_CODE)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    assert sell.search.box.text() == ""
    scan(sell.search.box, BREAD_CODE, start_ms=90_000)  # no prefix: typed, not a scan
    qtbot.waitUntil(lambda: sell.search.box.text() == BREAD_CODE)
    assert sell.model.rowCount() == 1
