"""The process-wide exception hook: expected problems become messages, bugs a crash report.

Install it with :func:`install_excepthook` before the ``QApplication`` exists. Exceptions from
Qt slots (PySide calls ``sys.excepthook``), from qasync ``asyncSlot`` coroutines (qasync calls
``sys.excepthook``), from forgotten asyncio tasks (:func:`route_loop_errors`) and from worker
threads (``threading.excepthook``) all end up here.

- An *expected* error (``vendor_console.errors.DomainError`` or anything carrying a
  ``user_message`` string) is logged briefly and shown through the message sink, normally the
  main window's message bar. It never opens a dialog.
- Anything else is a bug: the full report goes to stderr and the log file, and, unless dialogs
  are switched off (``--no-crash-dialog``), to a non-blocking crash dialog.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

    from ui.crash_dialog import CrashDialog
    from ui.crash_report import CrashReport
    from ui.main_thread import MainThreadRelay

LOGGER_NAME = "vendor_console.crash"
KEEP_REPORTS = 50  # a bug in a repeating timer must not grow memory without bound

MessageSink = Callable[[str], None]


def user_message_of(exc: BaseException) -> str | None:
    """The text to show the user if ``exc`` is an expected failure, else ``None``.

    ``DomainError`` carries ``user_message``; checking the attribute (duck typing) keeps this
    module free of an import of the core and accepts errors from any layer that follow the rule.
    """
    message = getattr(exc, "user_message", None)
    if isinstance(message, str) and message.strip():
        return message
    return None


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (test capture, redirects)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is None:  # windowed builds (pythonw, PyInstaller --windowed) have none
            return
        self.setStream(sys.stderr)
        super().emit(record)


class ExceptionHook:
    """Callable installed as ``sys.excepthook``; see the module docstring."""

    def __init__(self, *, show_dialog: bool, log_path: Path) -> None:
        self.show_dialog = show_dialog
        self.log_path = log_path
        self.message_sink: MessageSink | None = None
        self.reports: list[CrashReport] = []
        self._dialog: CrashDialog | None = None
        self._relay: MainThreadRelay | None = None
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._logger = logging.getLogger(LOGGER_NAME)
        self._logger.propagate = False  # the report is written here; no second copy upstream
        self._logger.setLevel(logging.INFO)
        self._handlers: list[logging.Handler] = []
        self._open_handlers()

    # --- installation -------------------------------------------------------------------

    def _open_handlers(self) -> None:
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        handlers: list[logging.Handler] = [_CurrentStderrHandler()]
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.FileHandler(self.log_path, encoding="utf-8", delay=True))
        except OSError as exc:  # a read-only disk must not stop error reporting on stderr
            print(f"Vendor Console: cannot write log file {self.log_path}: {exc}", file=sys.stderr)
        for handler in handlers:
            handler.setFormatter(formatter)
            self._logger.addHandler(handler)
        self._handlers = handlers

    def _close_handlers(self) -> None:
        for handler in self._handlers:
            self._logger.removeHandler(handler)
            handler.close()
        self._handlers = []

    def reconfigure(self, *, show_dialog: bool, log_path: Path) -> None:
        self.show_dialog = show_dialog
        if log_path != self.log_path:
            self.log_path = log_path
            self._close_handlers()
            self._open_handlers()

    def uninstall(self) -> None:
        """Restore the previous hooks and close the log file (used by tests and shutdown)."""
        if sys.excepthook is self:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous_thread_hook
        self.message_sink = None
        if self._dialog is not None:
            dialog, self._dialog = self._dialog, None
            dialog.close()
        if self._relay is not None:
            self._relay.deleteLater()
            self._relay = None
        self._close_handlers()

    def attach_gui(self, message_sink: MessageSink | None) -> None:
        """Call on the GUI thread once the ``QApplication`` exists (``run_gui`` does)."""
        from ui.main_thread import MainThreadRelay

        self.message_sink = message_sink
        if self._relay is None:
            self._relay = MainThreadRelay()

    @property
    def crash_dialog(self) -> CrashDialog | None:
        return self._dialog

    # --- entry points -------------------------------------------------------------------

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._handle(exc_type, exc, tb, threading.current_thread().name)
        except Exception as hook_error:  # never recurse into ourselves
            sys.__excepthook__(exc_type, exc, tb)
            sys.__excepthook__(type(hook_error), hook_error, hook_error.__traceback__)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        thread_name = args.thread.name if args.thread is not None else "worker"
        try:
            self._handle(args.exc_type, args.exc_value, args.exc_traceback, thread_name)
        except Exception:
            self._previous_thread_hook(args)

    def loop_exception_handler(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        """asyncio exception handler: a task failed and nobody awaited it."""
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self(type(exc), exc, exc.__traceback__)
        else:
            self._logger.error("asyncio: %s", context.get("message", "unknown event loop error"))

    # --- handling -----------------------------------------------------------------------

    def _handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        thread_name: str,
    ) -> None:
        if not issubclass(exc_type, Exception):  # KeyboardInterrupt, SystemExit
            self._logger.info("Stopping: %s", exc_type.__name__)
            self._on_gui_thread(_quit_application)
            return
        message = user_message_of(exc)
        if message is not None:
            self._logger.warning("%s: %s", exc_type.__name__, message)
            sink = self.message_sink
            if sink is not None:
                self._on_gui_thread(lambda: sink(message))
            return
        from ui.crash_report import build_crash_report  # only once something has failed

        report = build_crash_report(exc_type, exc, tb, log_path=self.log_path, thread=thread_name)
        self.reports.append(report)
        del self.reports[:-KEEP_REPORTS]
        self._logger.error("%s", report.text)
        if self.show_dialog:
            self._on_gui_thread(lambda: self._show_dialog(report))

    def _on_gui_thread(self, action: Callable[[], None]) -> None:
        if threading.current_thread() is threading.main_thread():
            action()
        elif self._relay is not None:
            self._relay.call_soon(action)
        # No GUI yet and not on the main thread: the report is in the log; nothing to show.

    def _show_dialog(self, report: CrashReport) -> None:
        if "PySide6.QtWidgets" not in sys.modules:
            return  # no GUI has been started: nothing to put a dialog on
        from PySide6.QtWidgets import QApplication

        if not isinstance(QApplication.instance(), QApplication):
            return  # before the GUI exists the log and stderr are all there is
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.add_report(report)  # one dialog for a burst of errors
            return
        from ui.crash_dialog import CrashDialog

        dialog = CrashDialog(report)
        # The dialog deletes itself on close (or with its parent window): forget it then.
        dialog.finished.connect(self._forget_dialog)
        dialog.destroyed.connect(self._forget_dialog)
        self._dialog = dialog
        dialog.open()

    def _forget_dialog(self) -> None:
        self._dialog = None


def _quit_application() -> None:
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is not None:
        app.quit()


def current_hook() -> ExceptionHook | None:
    hook = sys.excepthook
    return hook if isinstance(hook, ExceptionHook) else None


def install_excepthook(show_dialog: bool, log_path: Path) -> ExceptionHook:
    """Install (or reconfigure) the hook for the main thread and worker threads.

    Safe before any ``QApplication`` exists: until then errors go to stderr and ``log_path``.
    """
    hook = current_hook()
    if hook is not None:
        hook.reconfigure(show_dialog=show_dialog, log_path=log_path)
        return hook
    hook = ExceptionHook(show_dialog=show_dialog, log_path=log_path)
    sys.excepthook = hook
    threading.excepthook = hook._thread_hook
    return hook


def route_loop_errors(loop: asyncio.AbstractEventLoop, hook: ExceptionHook) -> None:
    """Send errors of un-awaited asyncio tasks on ``loop`` to ``hook``."""
    loop.set_exception_handler(hook.loop_exception_handler)


def report_exception(exc: BaseException) -> None:
    """Hand a caught exception to the installed hook (e.g. from an ``except`` in a slot)."""
    hook = current_hook()
    if hook is not None:
        hook(type(exc), exc, exc.__traceback__)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)
