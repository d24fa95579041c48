"""Run a callable on the GUI thread from any thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot


class MainThreadRelay(QObject):
    """Create on the GUI thread. ``call_soon`` from a worker queues the call to the GUI thread."""

    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Emitting from another thread into this object's thread is a queued call.
        self._deliver.connect(self._run)

    def call_soon(self, action: Callable[[], None]) -> None:
        self._deliver.emit(action)

    @Slot(object)
    def _run(self, action: Callable[[], None]) -> None:
        action()
