"""Start the desktop app: the one place in vendor_console that reaches into the Qt UI.

The window is shown first; the shop database is opened (checked, backed up, migrated) and the
demo built on a worker thread after the first paint, so start-up never blocks the UI thread.
"""

from __future__ import annotations

import argparse
import threading
from typing import TYPE_CHECKING, Literal

from vendor_console.paths import DataPaths
from vendor_console.status import DatabaseStatus, ShellStatus

if TYPE_CHECKING:  # the core (SQLAlchemy) is imported on the worker, after the first paint
    from vendor_console.core import AppCore

THEME_KEY = "ui.theme"  # vendor_console.settings.THEME.key (a test keeps them equal)


class Startup:
    """Holds the core once the worker has opened it; until then reports "opening"."""

    def __init__(self, paths: DataPaths, *, demo: bool) -> None:
        self.paths = paths
        self.demo = demo
        self.core: AppCore | None = None
        self.failure: str | None = None
        self._lock = threading.Lock()

    def status(self) -> ShellStatus:
        with self._lock:
            core = self.core
        if core is not None:
            return core.shell_status()
        message = self.failure or "Opening the shop database…"
        return ShellStatus(
            shop_name="Vendor Console", currency="",
            database=DatabaseStatus(str(self.paths.database), ok=self.failure is None,
                                    message=message),
            sync="Marketplace not connected", printer="No printer configured",
            staff_name=None, staff_role=None,
        )

    def open(self) -> str:
        """Runs on a worker thread. Returns the window title."""
        from vendor_console.core import AppCore
        from vendor_console.errors import DomainError

        try:
            core = AppCore.open(self.paths)
        except DomainError as exc:
            self.failure = exc.user_message
            raise
        if self.demo and core.shop() is None:
            from vendor_console.demo import build_demo

            build_demo(core.db, images_dir=self.paths.images)
            core.forget_cached_shop()
        with self._lock:
            self.core = core
        from ui.sell.context import publish_core

        publish_core(core)  # the Sell page picks it up on the next status refresh
        self._start_devices(core)
        shop = core.shop()
        from vendor_console.gc_policy import freeze_long_lived

        freeze_long_lived()  # start-up's objects: no longer walked by full collections
        return f"Vendor Console — {shop.name}" if shop else "Vendor Console"

    def _start_devices(self, core: AppCore) -> None:
        """The device thread (printers, drawer, scanner, display), after the core is open."""
        from ui.devices.bridge import publish_runtime
        from vendor_console.devices.device_settings import load
        from vendor_console.devices.runtime import start_devices

        start_devices(core.db, load(core.settings), before_start=publish_runtime)

    def close(self) -> None:
        from ui.devices.bridge import forget_runtime
        from ui.sell.context import forget_core
        from ui.workers import wait_for_threads

        forget_core()
        devices = forget_runtime()
        if devices is not None:
            devices.stop()  # before the database closes under the print queue
        wait_for_threads()  # no counter work may still be using the database
        if self.core is not None:
            self.core.close()

    def saved_theme(self) -> Literal["light", "dark"] | None:
        """The theme saved in the shop database, read with plain sqlite3 before the first
        paint (SQLAlchemy is not loaded yet). None when there is no database or no choice."""
        import sqlite3

        path = self.paths.database
        if not path.exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT value FROM settings WHERE key = ?",
                                   (THEME_KEY,)).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None  # damaged or old database: the worker will report it properly
        value = row[0].strip('"') if row else None
        return "dark" if value == "dark" else "light" if value == "light" else None

    def save_theme(self, name: str) -> None:
        """Save the user's theme choice off the UI thread (the writer commits it)."""
        core = self.core
        if core is None:
            return

        def save() -> None:
            from vendor_console.settings import THEME

            core.settings.set(THEME, name)

        threading.Thread(target=save, name="save-theme", daemon=True).start()


def run_app(args: argparse.Namespace, paths: DataPaths) -> int:
    paths.ensure()
    # The exception hook goes in before the QApplication (and before the database opens).
    from ui.errors import install_excepthook

    install_excepthook(show_dialog=not args.no_crash_dialog, log_path=paths.log_file)
    from ui.app import run_gui

    startup = Startup(paths, demo=args.demo)
    try:
        return run_gui(
            startup.status, no_crash_dialog=args.no_crash_dialog, log_path=paths.log_file,
            title="Vendor Console", quit_after_paint=args.quit_after_paint,
            theme=startup.saved_theme(), on_theme_changed=startup.save_theme,
            background_start=startup.open, quit_when_ready=args.quit_when_ready,
        )
    finally:
        startup.close()
