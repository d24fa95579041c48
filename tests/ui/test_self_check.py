"""``vendor-console --self-test`` renders the real window offscreen and says what it checked."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ui.app import render_offscreen_check
from ui.main_window import MainWindow
from ui.self_check import RenderCheckFailed
from vendor_console.status import ShellStatus


def test_render_check_reports_window_pages_and_status(
    qapp: QApplication, status_box: list[ShellStatus]
) -> None:
    lines = render_offscreen_check(lambda: status_box[0])
    assert "main window rendered 1280x800 (light theme, 'offscreen' platform)" in lines
    assert "7 pages visited: Sell, Orders, Catalog, Inventory, Analytics, Settings, Sync" in lines
    assert any(line.startswith("status bar: Database: schema 0003") for line in lines)
    assert "application icon loaded" in lines
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in qapp.topLevelWidgets())


def test_render_check_fails_when_the_status_cannot_be_read(qapp: QApplication) -> None:
    def broken_provider() -> ShellStatus:
        raise OSError("disk I/O error")

    with pytest.raises(RenderCheckFailed, match="could not be built: OSError"):
        render_offscreen_check(broken_provider)


def test_render_check_creates_its_own_offscreen_application() -> None:
    script = textwrap.dedent(
        """
        from ui.app import render_offscreen_check
        from vendor_console.status import DatabaseStatus, ShellStatus

        status = ShellStatus(
            shop_name="Corner Bakery", currency="GBP",
            database=DatabaseStatus(path="shop.db", ok=True, message="schema 0001"),
            sync="Marketplace not configured", printer="No printer configured",
            staff_name=None, staff_role=None,
        )
        print("\\n".join(render_offscreen_check(lambda: status)))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "'offscreen' platform" in result.stdout
    assert "Nobody signed in" in result.stdout
