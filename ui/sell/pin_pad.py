"""A PIN entry that works with the keyboard (digits, Backspace, Enter) and by touch."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

TOUCH = 64  # px: the smallest target on a touch screen at the counter


class PinPad(QWidget):
    submitted = Signal(str)

    def __init__(self, action_text: str = "Sign in", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self.entry = QLineEdit(self)
        self.entry.setObjectName("pinEntry")
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setMaxLength(8)
        self.entry.setValidator(QRegularExpressionValidator(r"\d{0,8}", self.entry))
        self.entry.setPlaceholderText("PIN")
        self.entry.setAccessibleName("PIN")
        self.entry.setMinimumHeight(TOUCH)
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry.returnPressed.connect(self.submit)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.digit_buttons: dict[str, QPushButton] = {}
        for n, label in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0",
                                   "⌫"]):
            button = QPushButton(label, self)
            button.setMinimumSize(TOUCH + 16, TOUCH)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the entry keeps the keyboard
            if label.isdigit():
                self.digit_buttons[label] = button
                button.clicked.connect(lambda _c=False, d=label: self.entry.insert(d))
            elif label == "Clear":
                button.setAccessibleName("Clear the PIN")
                button.clicked.connect(self.entry.clear)
            else:
                button.setAccessibleName("Delete the last digit")
                button.clicked.connect(self.entry.backspace)
            grid.addWidget(button, n // 3, n % 3)
        self.submit_button = QPushButton(f"{action_text}  (Enter)", self)
        self.submit_button.setObjectName("primary")
        self.submit_button.setMinimumHeight(TOUCH)
        self.submit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.submit_button.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.entry)
        layout.addLayout(grid)
        layout.addWidget(self.submit_button)

    def submit(self) -> None:
        pin = self.entry.text()
        if pin:
            self.submitted.emit(pin)

    def set_busy(self, busy: bool) -> None:
        self.entry.setReadOnly(busy)
        self.submit_button.setEnabled(not busy)

    def reset(self) -> None:
        self.entry.clear()
        self.set_busy(False)
        self.entry.setFocus()


def no_enter_buttons(dialog: QWidget, keep: QPushButton | None = None) -> None:
    """Enter in a dialog's text box must not also press a button (Qt's auto-default does):
    every button but ``keep`` stops being an Enter target."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(button is keep)
        button.setDefault(button is keep)
