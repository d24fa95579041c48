"""The in-window message bar: expected problems and notices, never modal."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.polish import set_style_property


class MessageLevel(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


# Notices fade on their own; problems stay until the user has seen them and dismissed them.
INFO_TIMEOUT_MS = 6000


class MessageBar(QFrame):
    """A strip across the top of the window. A new message replaces the one showing."""

    message_shown = Signal(str)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self._label = QLabel(self)
        self._label.setObjectName("messageText")
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._dismiss = QPushButton("Dismiss", self)
        self._dismiss.setObjectName("messageDismiss")
        self._dismiss.clicked.connect(self.dismiss)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._dismiss, 0, Qt.AlignmentFlag.AlignTop)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self._level = MessageLevel.INFO
        self.hide()

    def show_message(self, text: str, level: MessageLevel = MessageLevel.WARNING) -> None:
        self._level = level
        self._label.setText(text)
        set_style_property(self, "level", level.value)  # the QSS colours follow the level
        self._dismiss.setAccessibleName(f"Dismiss message: {text}")
        self.show()
        if level is MessageLevel.INFO:
            self._timer.start(INFO_TIMEOUT_MS)
        else:
            self._timer.stop()
        self.message_shown.emit(text)

    def text(self) -> str:
        return self._label.text()

    def level(self) -> MessageLevel:
        return self._level

    def dismiss(self) -> None:
        self._timer.stop()
        if self.isVisible():
            self.hide()
            self.dismissed.emit()
