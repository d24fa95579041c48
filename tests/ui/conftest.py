"""UI test fixtures: offscreen Qt, a plain ShellStatus, the main window, the exception hook."""

from __future__ import annotations

import os
import sys

# Before anything imports Qt: no display is needed, and none is used even if present.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.errors import ExceptionHook, current_hook, install_excepthook
from ui.main_window import MainWindow
from vendor_console.status import DatabaseStatus, ShellStatus


def make_status(**changes: object) -> ShellStatus:
    values: dict[str, object] = {
        "shop_name": "Hazel & Thread Ceramics",
        "currency": "EUR",
        "database": DatabaseStatus(
            path="/srv/shop/vendor-console.db", ok=True, message="schema 0003, 214 products"
        ),
        "sync": "Offline — 3 pending",
        "printer": "Printer ready",
        "staff_name": "Ana Lopez",
        "staff_role": "manager",
    }
    values.update(changes)
    return ShellStatus(**values)  # type: ignore[arg-type]


@pytest.fixture
def status_factory() -> Callable[..., ShellStatus]:
    """Builds a ShellStatus like the core's, with the given fields changed."""
    return make_status


@pytest.fixture
def status_box() -> list[ShellStatus]:
    """What the status provider returns; a test replaces ``[0]`` to change the shop's state."""
    return [make_status()]


@pytest.fixture
def window(qtbot: QtBot, status_box: list[ShellStatus]) -> MainWindow:
    win = MainWindow(lambda: status_box[0], title="Vendor Console — Hazel & Thread")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def hook_factory(tmp_path: Path) -> Iterator[Callable[[bool], ExceptionHook]]:
    """Installs the real hook (logging to a temp file) and always uninstalls it."""
    installed: list[ExceptionHook] = []
    before = sys.excepthook
    assert current_hook() is None, "an earlier test left the application's hook installed"

    def install(show_dialog: bool) -> ExceptionHook:
        hook = install_excepthook(show_dialog=show_dialog, log_path=tmp_path / "logs" / "vc.log")
        installed.append(hook)
        return hook

    yield install
    for hook in installed:
        hook.uninstall()
    assert sys.excepthook is before
