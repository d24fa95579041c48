"""Errors as the user meets them: bugs reach the log (and a crash dialog), expected problems
reach the message bar. Tests here turn off pytest-qt's own exception capture so that the
application's hook is the one that sees the exceptions."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from ui.crash_dialog import CrashDialog
from ui.errors import ExceptionHook
from ui.main_window import MainWindow
from vendor_console.errors import DomainError

pytestmark = pytest.mark.qt_no_exception_capture

HookFactory = Callable[[bool], ExceptionHook]


def _visible_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def _fail_in_slot() -> None:
    raise ValueError("till total went negative")


def test_slot_error_is_logged_and_no_dialog_when_dialogs_are_off(
    qtbot: QtBot, hook_factory: HookFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = hook_factory(False)
    QTimer.singleShot(0, _fail_in_slot)
    qtbot.waitUntil(lambda: len(hook.reports) == 1)

    log_text = hook.log_path.read_text(encoding="utf-8")
    assert "ValueError: till total went negative" in log_text
    assert "Traceback (most recent call last)" in log_text
    assert "_fail_in_slot" in log_text
    assert "ValueError: till total went negative" in capsys.readouterr().err
    assert hook.crash_dialog is None
    assert _visible_dialogs() == []


def test_slot_error_opens_a_copyable_crash_dialog(
    qtbot: QtBot, hook_factory: HookFactory, window: MainWindow
) -> None:
    hook = hook_factory(True)
    QTimer.singleShot(0, _fail_in_slot)
    qtbot.waitUntil(lambda: hook.crash_dialog is not None and hook.crash_dialog.isVisible())
    dialog = hook.crash_dialog
    assert isinstance(dialog, CrashDialog)
    report = dialog.report_text()
    assert "ValueError: till total went negative" in report
    assert "Traceback (most recent call last)" in report
    assert str(hook.log_path) in report
    assert hook.log_path.read_text(encoding="utf-8").count("till total went negative") >= 1

    copy = dialog.findChild(QPushButton, "crashCopy")
    assert copy is not None
    copy.click()
    assert QGuiApplication.clipboard().text() == report

    # A second failure while the dialog is open joins it instead of stacking dialogs.
    QTimer.singleShot(0, _fail_in_slot)
    qtbot.waitUntil(lambda: len(hook.reports) == 2)
    assert hook.crash_dialog is dialog
    assert dialog.report_text().count("till total went negative") >= 2
    assert len(_visible_dialogs()) == 1

    dialog.reject()
    qtbot.waitUntil(lambda: not _visible_dialogs())
    assert window.isVisible()


class _PrinterOffline(DomainError):
    pass


class _LooksExpected(Exception):
    """Not a DomainError, but follows the rule: carries a message for the user."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


@pytest.mark.parametrize("error_type", [_PrinterOffline, _LooksExpected])
def test_expected_error_shows_a_message_not_a_crash_dialog(
    qtbot: QtBot,
    hook_factory: HookFactory,
    window: MainWindow,
    error_type: Callable[[str], Exception],
) -> None:
    hook = hook_factory(True)
    hook.attach_gui(window.show_message)
    text = "The receipt printer is offline. Check that it is switched on and try again."

    def print_receipt() -> None:
        raise error_type(text)

    button = QPushButton("Print receipt", window)
    button.clicked.connect(print_receipt)
    button.show()
    with qtbot.waitSignal(window.message_bar.message_shown) as shown:
        button.click()
    assert shown.args == [text]
    assert window.message_bar.isVisible()
    assert window.message_bar.text() == text
    assert hook.crash_dialog is None
    assert hook.reports == []
    assert _visible_dialogs() == []
    assert text in hook.log_path.read_text(encoding="utf-8")


def test_worker_thread_error_reaches_the_crash_dialog(
    qtbot: QtBot, hook_factory: HookFactory, window: MainWindow
) -> None:
    hook = hook_factory(True)
    hook.attach_gui(window.show_message)

    def work() -> None:
        raise RuntimeError("stock recount worker failed")

    worker = threading.Thread(target=work, name="stock-recount")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: hook.crash_dialog is not None and hook.crash_dialog.isVisible())
    dialog = hook.crash_dialog
    assert dialog is not None
    assert "Thread: stock-recount" in dialog.report_text()
    assert "RuntimeError: stock recount worker failed" in dialog.report_text()
    dialog.reject()
    qtbot.waitUntil(lambda: not _visible_dialogs())


def test_hook_works_before_any_qapplication_exists(tmp_path: Path) -> None:
    log_path = tmp_path / "early.log"
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from ui.errors import install_excepthook
        install_excepthook(show_dialog=True, log_path=Path({str(log_path)!r}))
        assert "PySide6.QtWidgets" not in sys.modules
        raise RuntimeError("database folder is missing")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert "RuntimeError: database folder is missing" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    log_text = log_path.read_text(encoding="utf-8")
    assert "RuntimeError: database folder is missing" in log_text
    assert f"Log file: {log_path}" in log_text
