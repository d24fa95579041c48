"""Start the GUI: application object, theme, qasync event loop, main window.

Imports of Qt happen inside the functions: the CLI imports this module for every command, and
cold start to the first painted window is a measured budget. Nothing heavy (QtCharts) here.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ui.errors import install_excepthook, route_loop_errors

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.main_window import MainWindow as MainWindowType
    from ui.theme import ThemeName
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
    theme: ThemeName | None = None,
    on_theme_changed: Callable[[ThemeName], None] | None = None,
    status_refresh_ms: int = 0,
    quit_after_paint: bool = False,
    background_start: Callable[[], str] | None = None,
    quit_when_ready: bool = False,
) -> int:
    """Run the desktop app until the user quits; returns the process exit code.

    - ``status_provider`` is called on the GUI thread at start-up, on ``refresh_status()`` and,
      if ``status_refresh_ms`` > 0, on that interval: it must be cheap.
    - ``theme`` is the saved choice (``None``: follow the system); ``on_theme_changed`` is
      called with the new name when the user picks another one in Settings, to save it.
    - ``quit_after_paint`` exits as soon as the window has painted (cold start benchmark).
    - ``background_start`` runs on a worker thread after the first paint (opening and migrating
      the database, building the demo): the window is usable at once and never blocked by it.
      It returns the window title; then the status is refreshed. An expected error
      (``user_message``) is shown in the message bar; a bug goes to the exception hook.
      ``quit_when_ready`` exits once it is done (benchmark of time-to-ready).
    """
    hook = install_excepthook(show_dialog=not no_crash_dialog, log_path=log_path)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.theme import apply_theme, system_theme

    app = ensure_application()
    apply_theme(app, theme or system_theme(app))
    window = MainWindow(status_provider, title=title, status_refresh_ms=status_refresh_ms)
    hook.attach_gui(window.show_message)
    if on_theme_changed is not None:
        window.theme_changed.connect(lambda name: on_theme_changed(_theme_name(name)))
    after_first_paint(window, lambda: report_milestone("first-paint"), defer=False)
    if quit_after_paint:
        background_start = None  # measuring the paint alone: do not start the heavy work
        after_first_paint(window, QApplication.quit)
    window.resize(1280, 800)
    window.show()
    # Paint the first frame now; asyncio and qasync (about 50 ms of imports) load after it.
    app.processEvents()

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    route_loop_errors(loop, hook)
    # After the first paint: loading the SVG icon engine is not on the start-up path.
    QTimer.singleShot(0, lambda: set_window_icon(window))
    _quit_on_interrupt(app)

    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    starter = _start_in_background(window, background_start, quit_when_ready)
    try:
        with loop:
            loop.run_until_complete(quitting.wait())
    finally:
        hook.message_sink = None
        asyncio.set_event_loop(None)
        if starter is not None and starter.ident is not None:
            starter.join()  # never close the core under a migration that is still running
    return 0


def _start_in_background(
    window: MainWindowType, start: Callable[[], str] | None, quit_when_ready: bool
) -> threading.Thread | None:
    """Run ``start`` on a worker thread; deliver its outcome to the window on the GUI thread."""
    if start is None:
        return None
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    from ui.errors import report_exception, user_message_of
    from ui.messages import MessageLevel

    class Relay(QObject):
        done = Signal(str)
        failed = Signal(object)

    relay = Relay(window)

    def finished(title: str) -> None:
        window.setWindowTitle(title)
        from ui.sync_runner import start_sync

        start_sync(window)  # marketplace sync on this (qasync) loop, if the till is paired
        from ui.orders.queue import order_queue

        order_queue(window)  # new marketplace orders ring even before Orders is opened
        window.refresh_status()
        report_milestone("ready")
        if quit_when_ready:
            QApplication.quit()

    def failed(exc: BaseException) -> None:
        message = user_message_of(exc)
        window.refresh_status()
        if message is None:
            report_exception(exc)
        else:
            window.show_message(message, MessageLevel.ERROR)
        if quit_when_ready:
            QApplication.quit()

    relay.done.connect(finished)
    relay.failed.connect(failed)

    def work() -> None:
        try:
            title = start()
        except Exception as exc:  # delivered to the GUI thread: message bar or crash dialog
            relay.failed.emit(exc)
        else:
            relay.done.emit(title)

    thread = threading.Thread(target=work, name="startup", daemon=True)
    after_first_paint(window, thread.start)  # the window is on screen before any heavy work
    return thread


def _theme_name(name: str) -> ThemeName:
    return "dark" if name == "dark" else "light"


def report_milestone(name: str) -> None:
    """For the cold-start benchmark: with ``VENDOR_CONSOLE_T0`` (a ``time.time()`` taken just
    before the process was spawned) set, print how long after it ``name`` was reached."""
    import os
    import time

    t0 = os.environ.get("VENDOR_CONSOLE_T0")
    if t0:
        print(f"milestone {name} {(time.time() - float(t0)) * 1000:.1f} ms", flush=True)
    if os.environ.get("VENDOR_CONSOLE_REPORT_MODULES"):  # tests: what had loaded by then
        import sys

        loaded = sorted({m.split(".")[0] for m in list(sys.modules)})
        print(f"modules {name} {' '.join(loaded)}", flush=True)


def after_first_paint(
    window: QWidget, action: Callable[[], None], *, defer: bool = True
) -> None:
    """Run ``action`` once when ``window`` first paints: from the event loop right after the
    paint (``defer``), or at the paint itself."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                if defer:
                    QTimer.singleShot(0, action)  # let this paint reach the screen first
                else:
                    action()
            return False

    window.installEventFilter(FirstPaint(window))


def _gui_possible() -> bool:
    """Whether a message box can be seen (and creating a QApplication will not abort)."""
    import os

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith("linux") and not platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def show_fatal_message(title: str, message: str) -> None:
    """Tell the user why the app cannot start, when there is no main window to put it in.

    Waits until the box is closed. Does nothing without a visible display (the caller has
    already printed the message to stderr) so a headless run never hangs or aborts.
    """
    if not _gui_possible():
        return
    from PySide6.QtWidgets import QMessageBox

    app = ensure_application()
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Close)
    box.setWindowTitle(title)
    box.finished.connect(lambda _result: app.quit())
    box.open()
    app.exec()


def render_offscreen_check(status_provider: StatusProvider) -> list[str]:
    """Used by ``vendor-console --self-test``; see :mod:`ui.self_check`."""
    from ui.self_check import render_offscreen_check as check

    return check(status_provider)
