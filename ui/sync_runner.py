"""Runs marketplace sync inside the app: the engine on the qasync loop (database work stays on
the writer and worker threads), and a sync summary in the status bar, refreshed from a worker."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ui.sell.context import current_core
from ui.sync_context import current_service, publish_service
from ui.workers import run_in_background

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from sync.service import SyncService
    from sync.status import SyncStatus

STATUS_MS = 1000


class SyncRunner(QObject):
    """Owned by the main window. ``status_changed`` carries each new ``SyncStatus``."""

    status_changed = Signal(object)

    def __init__(self, window: QMainWindow, service: SyncService) -> None:
        super().__init__(window)
        self.setObjectName("syncRunner")
        self.window = window
        self.service = service
        self.last: SyncStatus | None = None
        self._busy = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        self._timer.start(STATUS_MS)
        run_in_background(lambda: service.paired, on_success=self._maybe_start, owner=self)

    def _maybe_start(self, paired: bool) -> None:
        if paired:
            self.start()

    def start(self) -> None:
        """Start keeping in sync on the running (qasync) loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
            loop.call_soon(self.service.start)
            return
        self.service.start()

    def sync_now(self) -> None:
        if self.service._task is None or self.service._task.done():
            self.start()
        self.service.sync_now()
        self.poll()

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        run_in_background(self.service.status, on_success=self._show, owner=self,
                          on_done=self._idle)

    def _idle(self) -> None:
        self._busy = False

    def _show(self, status: SyncStatus) -> None:
        self.last = status
        core = current_core()
        if core is not None and hasattr(core, "sync_status_text"):
            core.sync_status_text = status.summary()  # what refresh_status() shows next
        bar = getattr(self.window, "shell_status_bar", None)
        if bar is not None:
            problem = bool(status.paired and (not status.online or status.dead_letters))
            bar.sync.set_value(status.summary(), ok=not problem,
                               detail=status.last_error or None)
        self.status_changed.emit(status)


def start_sync(window: QMainWindow) -> SyncRunner | None:
    """Called on the GUI thread once the shop database is open."""
    existing = window.findChild(SyncRunner, "syncRunner")
    if isinstance(existing, SyncRunner):
        return existing
    core = current_core()
    if core is None:
        return None
    service = current_service()
    if service is None:
        from sync.service import SyncService

        service = SyncService(core.db, core.settings)
        publish_service(service)
    return SyncRunner(window, service)


def runner_of(window: QObject | None) -> SyncRunner | None:
    while window is not None:
        found = window.findChild(SyncRunner, "syncRunner")
        if isinstance(found, SyncRunner):
            return found
        window = window.parent()
    return None
