"""Start the GUI: application object, theme, qasync event loop, main window.

Imports of Qt happen inside the functions: the CLI imports this module for every command, and
cold start to the first painted window is a measured budget. Nothing heavy (QtCharts) here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ui.errors import install_excepthook, route_loop_errors

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from vendor_console.status import ShellStatus

APP_NAME = "Vendor Console"
ORG_NAME = "Vendor Console"
ORG_DOMAIN = "vendorconsole.app"
APP_ICON = "vendor-console.svg"

StatusProvider = Callable[[], "ShellStatus"]


def ensure_application() -> QApplication:
    """The running ``QApplication``, created and named if there is none yet."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        if not isinstance(existing, QApplication):
            raise RuntimeError("a non-GUI QCoreApplication already exists in this process")
        return existing
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(ORG_NAME)
    QApplication.setOrganizationDomain(ORG_DOMAIN)
    QApplication.setApplicationDisplayName(APP_NAME)
    return QApplication(sys.argv[:1] or ["vendor-console"])


def set_window_icon(window: QWidget) -> bool:
    """Give the window the application icon; ``False`` if the icon could not be loaded."""
    from PySide6.QtGui import QIcon

    from ui.theme import icon_path

    icon = QIcon(str(icon_path(APP_ICON)))
    if icon.pixmap(64, 64).isNull():
        return False
    window.setWindowIcon(icon)
    return True


def _quit_on_interrupt(app: QApplication) -> None:
    """Ctrl+C in the terminal closes the app (Python only sees signals while it runs code)."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda _signum, _frame: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)


def run_gui(
    status_provider: StatusProvider,
    *,
    no_crash_dialog: bool,
    log_path: Path,
    title: str,
    status_refresh_ms: int = 5000,
) -> int:
    """Run the desktop app until the user quits; returns the process exit code.

    ``status_provider`` is called on the GUI thread at start-up and every
    ``status_refresh_ms`` (0 turns polling off), so it must be cheap.
    """
    hook = install_excepthook(show_dialog=not no_crash_dialog, log_path=log_path)

    import asyncio

    import qasync
    from PySide6.QtCore import QTimer

    from ui.main_window import MainWindow
    from ui.theme import apply_theme, system_theme

    app = ensure_application()
    apply_theme(app, system_theme(app))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    route_loop_errors(loop, hook)

    window = MainWindow(status_provider, title=title, status_refresh_ms=status_refresh_ms)
    hook.attach_gui(window.show_message)
    window.resize(1280, 800)
    window.show()
    # After the first paint: loading the SVG icon engine is not on the start-up path.
    QTimer.singleShot(0, lambda: set_window_icon(window))
    _quit_on_interrupt(app)

    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    try:
        with loop:
            loop.run_until_complete(quitting.wait())
    finally:
        hook.message_sink = None
        asyncio.set_event_loop(None)
    return 0


def render_offscreen_check(status_provider: StatusProvider) -> list[str]:
    """Used by ``vendor-console --self-test``; see :mod:`ui.self_check`."""
    from ui.self_check import render_offscreen_check as check

    return check(status_provider)
