"""The optional customer-facing window: the last item and the total, big, on a second
monitor when there is one (otherwise a normal window the shop can move)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class SecondScreen(QWidget):
    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("secondScreen")
        self.setWindowTitle("Customer display")
        self.item = QLabel("Welcome", self)
        self.item.setObjectName("secondScreenItem")
        self.total = QLabel("", self)
        self.total.setObjectName("secondScreenTotal")
        for label, size in ((self.item, 28), (self.total, 44)):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            font = label.font()
            font.setPointSize(size)
            label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.item)
        layout.addWidget(self.total)
        layout.addStretch(1)
        self.resize(800, 480)

    def show_sale(self, item: str, total: str) -> None:
        self.item.setText(item or "Welcome")
        self.total.setText(total)

    def show_on_second_monitor(self) -> None:
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setScreen(screens[1])
            self.move(screens[1].geometry().topLeft())
            self.showFullScreen()
        else:
            self.show()
