"""Start-up: the window paints first and the database opens on a worker thread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vendor_console", "--no-crash-dialog", *args],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_window_opens_database_in_background_and_becomes_ready(tmp_path: Path) -> None:
    result = _start("--data-dir", str(tmp_path), "--quit-when-ready")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shop.db").exists()  # opened and migrated by the worker
    assert "Traceback" not in result.stderr


def test_damaged_database_is_reported_in_the_window_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "shop.db").write_bytes(b"not a database" * 100)
    before = (tmp_path / "shop.db").read_bytes()
    result = _start("--data-dir", str(tmp_path), "--quit-when-ready")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "shop.db").read_bytes() == before
    log = (tmp_path / "logs" / "vendor-console.log")
    assert not log.exists() or "Traceback" not in log.read_text()


def test_startup_status_before_during_and_after_a_failed_open(tmp_path: Path) -> None:
    import pytest

    from vendor_console.errors import DatabaseUnusable
    from vendor_console.gui_entry import Startup
    from vendor_console.paths import DataPaths

    paths = DataPaths(tmp_path)
    paths.ensure()
    paths.database.write_bytes(b"not a database" * 100)
    startup = Startup(paths, demo=False)
    assert startup.status().database.message == "Opening the shop database…"
    with pytest.raises(DatabaseUnusable):
        startup.open()
    status = startup.status()
    assert status.database.ok is False
    assert "left untouched" in status.database.message


def test_startup_opens_and_reports_the_shop(tmp_path: Path) -> None:
    from local_db.migrate import HEAD_REVISION
    from vendor_console.gui_entry import Startup
    from vendor_console.paths import DataPaths

    startup = Startup(DataPaths(tmp_path), demo=False)
    try:
        assert startup.open() == "Vendor Console"  # no shop set up yet
        status = startup.status()
        assert status.database.ok and f"schema {HEAD_REVISION[:4]}" in status.database.message
        assert status.shop_name == "New shop (not set up)"
    finally:
        startup.close()


def test_theme_choice_is_saved_and_read_back_before_the_first_paint(tmp_path: Path) -> None:
    import threading

    from vendor_console.gui_entry import THEME_KEY, Startup
    from vendor_console.paths import DataPaths
    from vendor_console.settings import THEME

    assert THEME.key == THEME_KEY
    startup = Startup(DataPaths(tmp_path), demo=False)
    assert startup.saved_theme() is None  # no database yet: follow the system
    startup.open()
    try:
        assert startup.saved_theme() is None
        startup.save_theme("dark")
        for thread in threading.enumerate():
            if thread.name == "save-theme":
                thread.join()
        assert startup.saved_theme() == "dark"
    finally:
        startup.close()


def test_nothing_heavy_loads_before_the_first_paint(tmp_path: Path) -> None:
    # Cold start is a budget (bench/startup.py); this keeps its structure from regressing: the
    # database layer, the event-loop integration, networking and device libraries load only
    # after the window has painted its first frame.
    result = subprocess.run(
        [sys.executable, "-m", "vendor_console", "--no-crash-dialog", "--data-dir",
         str(tmp_path), "--quit-when-ready"],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOR_CONSOLE_REPORT_MODULES": "1"},
    )
    assert result.returncode == 0, result.stderr
    reports = dict(line.split(" ", 2)[1:] for line in result.stdout.splitlines()
                   if line.startswith("modules "))
    at_paint = set(reports["first-paint"].split())
    at_ready = set(reports["ready"].split())
    heavy = {"sqlalchemy", "alembic", "asyncio", "qasync", "httpx", "escpos", "PIL", "argon2"}
    assert "PySide6" in at_paint
    assert not heavy & at_paint, f"loaded before the first paint: {sorted(heavy & at_paint)}"
    assert {"sqlalchemy", "asyncio"} <= at_ready  # the check can see them when they do load
