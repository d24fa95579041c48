"""Lock the till after a period without keyboard, mouse or touch input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
})


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``seconds`` with no input anywhere in the application."""

    idle = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_seconds(seconds)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_seconds(self, seconds: int) -> None:
        self.timer.setInterval(max(1, seconds) * 1000)

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def uninstall(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if self.timer.isActive() and event.type() in _INPUT:
            self.timer.start()  # restart the countdown
        return False
