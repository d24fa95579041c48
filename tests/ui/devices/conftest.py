"""Device UI fixtures: the counter (tests/ui/sell), the emupos emulator (tests/devices) and a
running device thread published to the UI as the app does at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from local_db.database import Database
from tests.devices.conftest import emupos, emupos_session  # noqa: F401 (fixtures)
from tests.devices.emupos import Emupos
from tests.ui.page_fixtures import _workers_done, ignore_offscreen_noise  # noqa: F401 (fixture)
from tests.ui.sell.conftest import counter  # noqa: F401 (fixture)
from ui import workers
from ui.devices import futures
from ui.devices.bridge import forget_runtime, publish_runtime
from vendor_console.devices.printers import PrinterRecord, add_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.runtime import DeviceRuntime


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    ignore_offscreen_noise(items, Path(__file__).parent)


@pytest.fixture
def devices(db: Database, qtbot: QtBot) -> Iterator[DeviceRuntime]:
    """The device thread over the test database, published like ``gui_entry`` does."""
    runtime = DeviceRuntime(db, interval=0.5)
    publish_runtime(runtime)
    runtime.start()
    try:
        yield runtime
    finally:
        qtbot.waitUntil(lambda: futures.pending() == 0)
        forget_runtime()
        runtime.stop()
        workers.wait_for_threads()
        qtbot.waitUntil(lambda: workers.pending() == 0)


def front(emu: Emupos, **kw: object) -> PrinterProfile:
    values: dict[str, object] = {"name": "Front", "url": emu.printer_url, "status_timeout": 5,
                                 "job_timeout": 20}
    values.update(kw)
    return PrinterProfile(**values)  # type: ignore[arg-type]


def with_printer(db: Database, runtime: DeviceRuntime, profile: PrinterProfile) -> PrinterRecord:
    record = add_printer(db, profile)
    runtime.reload_printers().result(30)
    return record
