"""``run_gui`` end to end in a child process: window up with the shop's name, a bug in an async
slot is logged (crash dialogs off, as in CI), and quitting returns exit code 0."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from ui.app import show_fatal_message


def test_run_gui_shows_the_shop_logs_async_bugs_and_exits_cleanly(tmp_path: Path) -> None:
    log_path = tmp_path / "logs" / "vendor-console.log"
    script = textwrap.dedent(
        f"""
        import asyncio
        from pathlib import Path

        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ui.app import ensure_application, run_gui
        from ui.main_window import MainWindow
        from vendor_console.status import DatabaseStatus, ShellStatus

        status = ShellStatus(
            shop_name="Corner Bakery", currency="GBP",
            database=DatabaseStatus(path="shop.db", ok=True, message="schema 0001"),
            sync="Online", printer="Printer ready", staff_name="Sam", staff_role="cashier",
        )

        async def failing_sync() -> None:
            await asyncio.sleep(0)
            raise TimeoutError("marketplace did not answer")

        def after_start() -> None:
            try:  # the timer may fire while the first frame paints, before the loop runs
                loop = asyncio.get_running_loop()
            except RuntimeError:
                QTimer.singleShot(20, after_start)
                return
            window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            print("visible:", window.isVisible(), "title:", window.windowTitle(), flush=True)
            loop.create_task(failing_sync())  # a task nobody awaits, that fails
            QTimer.singleShot(300, QApplication.quit)

        app = ensure_application()
        QTimer.singleShot(50, after_start)
        code = run_gui(
            lambda: status, no_crash_dialog=True, log_path=Path({str(log_path)!r}),
            title="Vendor Console — Corner Bakery",
        )
        print("exit code:", code, flush=True)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "visible: True title: Vendor Console — Corner Bakery" in result.stdout
    assert "exit code: 0" in result.stdout
    assert "TimeoutError: marketplace did not answer" in log_path.read_text(encoding="utf-8")
    assert "TimeoutError: marketplace did not answer" in result.stderr


def test_run_gui_can_quit_right_after_the_first_paint(tmp_path: Path) -> None:
    """The cold-start benchmark runs the app with quit_after_paint: it must exit by itself."""
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from ui.app import run_gui
        from vendor_console.status import DatabaseStatus, ShellStatus

        status = ShellStatus(
            shop_name="Corner Bakery", currency="GBP",
            database=DatabaseStatus(path="shop.db", ok=True, message="schema 0001"),
            sync="Online", printer="Printer ready", staff_name=None, staff_role=None,
        )
        code = run_gui(lambda: status, no_crash_dialog=True,
                       log_path=Path({str(tmp_path / "vc.log")!r}), title="Vendor Console",
                       theme="dark", quit_after_paint=True)
        print("exit code:", code, flush=True)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert "exit code: 0" in result.stdout


def test_fatal_message_never_blocks_without_a_display(qapp: QApplication) -> None:
    show_fatal_message("Vendor Console cannot open the shop database", "The file is damaged.")
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox)]
