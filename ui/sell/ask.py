"""A small non-blocking question: one line of text, OK (Enter) or Cancel (Esc)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.sell.pin_pad import TOUCH


class AskDialog(QDialog):
    def __init__(self, title: str, prompt: str, text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("askDialog")
        self.setWindowTitle(title)
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.entry = QLineEdit(text, self)
        self.entry.setMinimumHeight(TOUCH)
        self.entry.setAccessibleName(prompt)
        self.entry.selectAll()
        self.problem = QLabel("", self)
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        for button in buttons.buttons():
            button.setMinimumHeight(TOUCH)
        for which, key in ((QDialogButtonBox.StandardButton.Ok, "Enter"),
                           (QDialogButtonBox.StandardButton.Cancel, "Esc")):
            shown = buttons.button(which)
            shown.setText(f"{shown.text().replace('&', '')}  ({key})")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.entry)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def answer(self, text: str) -> None:
        """Type ``text`` and press OK (what a test or a touch keyboard does)."""
        self.entry.setText(text)
        self.accept()


def give_keyboard_back(parent: QWidget) -> None:
    """A closed dialog hands the keyboard back to the window it came from (a till with no
    window manager, e.g. a kiosk session, would otherwise leave no window active)."""
    window = parent.window()
    if window.isVisible():
        window.activateWindow()


def ask(parent: QWidget, title: str, prompt: str, then: Callable[[str], object],
        text: str = "") -> AskDialog:
    """Open the question (non-blocking); ``then(answer)`` runs on OK."""
    dialog = AskDialog(title, prompt, text, parent)
    dialog.accepted.connect(lambda: then(dialog.entry.text().strip()))
    dialog.finished.connect(lambda _r: give_keyboard_back(parent))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
