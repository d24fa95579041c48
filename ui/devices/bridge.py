"""The device thread's events as Qt signals on the GUI thread, and the running runtime.

The start-up worker opens the core, starts a ``DeviceRuntime`` and calls :func:`publish_runtime`
(any thread). The :class:`DeviceBridge` is created on the GUI thread (by the status bar, before
the first paint: it imports nothing heavy) and re-emits every runtime event as a queued signal.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # asyncio and SQLAlchemy must not load before the first paint
    from vendor_console.devices.runtime import DeviceEvent, DeviceRuntime

_lock = threading.Lock()
_runtime: list[DeviceRuntime] = []
_bridge: list[DeviceBridge] = []


class DeviceBridge(QObject):
    printer_status = Signal(object)  # PrinterStatusChanged
    job_finished = Signal(object)  # JobFinished
    scanned = Signal(str)  # a code from the serial scanner
    problem = Signal(str)  # a device stopped answering (scanner, display)
    wedge_changed = Signal(object)  # WedgeConfig: the scanner settings were saved
    second_screen_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_status: object | None = None
        self._attached: list[DeviceRuntime] = []
        self.printer_status.connect(self._remember)

    def _remember(self, event: object) -> None:
        if current_runtime() is not None:  # not a late event from a runtime now stopped
            self.last_status = event

    def attach(self, runtime: DeviceRuntime) -> None:
        if any(known is runtime for known in self._attached):
            return
        self._attached.append(runtime)
        runtime.subscribe(self._relay)

    def _relay(self, event: DeviceEvent) -> None:  # on the device thread: queued signals
        from vendor_console.devices.runtime import (
            DeviceProblem,
            JobFinished,
            PrinterStatusChanged,
            Scanned,
        )

        if isinstance(event, PrinterStatusChanged):
            if event.is_default:
                self.printer_status.emit(event)
        elif isinstance(event, JobFinished):
            self.job_finished.emit(event)
        elif isinstance(event, Scanned):
            self.scanned.emit(event.code)
        elif isinstance(event, DeviceProblem):
            self.problem.emit(event.message)


def bridge() -> DeviceBridge:
    """The bridge; the first call must be on the GUI thread."""
    with _lock:
        if not _bridge:
            _bridge.append(DeviceBridge())
            if _runtime:
                _bridge[0].attach(_runtime[0])
        return _bridge[0]


def publish_runtime(runtime: DeviceRuntime) -> None:
    """Called from any thread once the device runtime runs."""
    with _lock:
        _runtime[:] = [runtime]
        if _bridge:
            _bridge[0].attach(runtime)


def forget_runtime() -> DeviceRuntime | None:
    with _lock:
        runtime = _runtime[0] if _runtime else None
        _runtime.clear()
        if _bridge:
            _bridge[0].last_status = None
        return runtime


def current_runtime() -> DeviceRuntime | None:
    with _lock:
        return _runtime[0] if _runtime else None
