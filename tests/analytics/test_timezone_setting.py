"""Settings › Time zone on the hand-computed history: picking another zone in the searchable
list (typing part of its name) and applying it rebuilds the analytics on a worker, with a
message; ``vendor-console report sales --by day`` then counts in the new business days.

Sale B (29 Mar 23:30Z) is 30 Mar 00:30 in Dublin (IST) but 29 Mar 19:30 in New York (EDT);
the marketplace order (29 Mar 00:30Z) is 29 Mar in Dublin, 28 Mar 20:30 in New York; sale A
(28 Mar 23:30Z) is the 28th in both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from local_db.rollups import captured_zone
from tests.conftest import ShopFixture
from tests.ui.sell.conftest import FakeCore
from ui.pages.settings import SettingsPage
from ui.sell.context import forget_core, publish_core
from vendor_console.cli import main
from vendor_console.services.shop_timezone import shop_timezone

# The offscreen platform cannot raise the completer's popup or grab the keyboard for it.
pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|"
                                        "raise|grabbing the keyboard)"),
              pytest.mark.qt_no_exception_capture]


def by_day(capsys: pytest.CaptureFixture[str], db_path: Path) -> list[tuple[str, str, str]]:
    code = main(["--data-dir", str(db_path.parent), "report", "sales", "--from", "2026-03-27",
                 "--to", "2026-03-31", "--by", "day", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    return [(r["period"], r["channel"], r["gross"]) for r in json.loads(out)["rows"]
            if r["sales"]]


@pytest.fixture
def core(history: ShopFixture) -> Iterator[FakeCore]:
    fake = FakeCore(history.db, signed_in=history.owner)
    publish_core(fake)
    try:
        yield fake
    finally:
        forget_core()


def test_changing_the_zone_moves_the_report_to_the_new_business_days(
        core: FakeCore, qtbot: QtBot, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert by_day(capsys, db_path) == [
        ("2026-03-28", "counter", "10.00"), ("2026-03-29", "marketplace", "12.00"),
        ("2026-03-30", "counter", "20.00")]
    page = SettingsPage()
    qtbot.addWidget(page)
    page.show()
    box = page.timezone
    qtbot.waitUntil(lambda: box.loaded)
    assert box.zone.currentText() == "Europe/Dublin"
    assert box.zone.findText("America/New_York") >= 0

    # Search: any part of the name, any case.
    line = box.zone.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "new_y")
    completer = box.zone.completer()
    assert completer is not None
    qtbot.waitUntil(lambda: completer.completionCount() == 1)
    assert completer.currentCompletion() == "America/New_York"
    popup = completer.popup()
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert box.zone.currentText() == "America/New_York"

    box.apply.click()
    # Handed to a worker: the window goes on while the analytics are rebuilt.
    assert box.busy and not box.apply.isEnabled()
    assert box.status.text() == ("Changing the time zone to America/New_York: rebuilding the "
                                 "analytics in its business days…")
    qtbot.waitUntil(lambda: not box.busy)
    assert box.status.text() == (
        "The shop's time zone is now America/New_York (was Europe/Dublin). Analytics and "
        "reports were rebuilt in its business days.")
    assert shop_timezone(core.db) == "America/New_York"
    with core.db.read() as conn:
        assert captured_zone(conn) == "America/New_York"
    assert by_day(capsys, db_path) == [
        ("2026-03-28", "counter", "10.00"), ("2026-03-28", "marketplace", "12.00"),
        ("2026-03-29", "counter", "20.00")]


def test_a_zone_that_does_not_exist_or_nobody_signed_in_changes_nothing(
        core: FakeCore, qtbot: QtBot) -> None:
    page = SettingsPage()
    qtbot.addWidget(page)
    box = page.timezone
    qtbot.waitUntil(lambda: box.loaded)
    box.zone.setCurrentText("Mars/Olympus_Mons")
    box.apply.click()
    qtbot.waitUntil(lambda: not box.busy)
    assert "is not a time zone" in box.status.text()
    core.signed_in = None
    box.zone.setCurrentText("Asia/Tokyo")
    box.apply.click()
    assert "Sign in" in box.status.text()
    assert shop_timezone(core.db) == "Europe/Dublin"
