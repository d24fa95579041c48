"""The left navigation: one large button per page, each showing its keyboard shortcut."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.polish import set_style_property

# Touch-friendly: comfortably above the 44 px minimum target size.
NAV_BUTTON_HEIGHT = 52


class NavButton(QPushButton):
    """A checkable button showing the page title with its shortcut beside it."""

    def __init__(self, title: str, shortcut: QKeySequence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setMinimumHeight(NAV_BUTTON_HEIGHT)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        hint = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        self.setAccessibleName(title)
        self.setAccessibleDescription(f"Shortcut {hint}")
        self.setToolTip(f"{title} ({hint})")

        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("navTitle")
        self.shortcut_label = QLabel(hint, self)
        self.shortcut_label.setObjectName("navShortcut")
        for label in (self.title_label, self.shortcut_label):
            # Clicks go to the button underneath.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(16, 0, 16, 0)
        self._row.addWidget(self.title_label, 1)
        self._row.addWidget(self.shortcut_label)
        self.toggled.connect(self._mark_labels)

    def _mark_labels(self, checked: bool) -> None:
        # The labels take the selected colours from the QSS ``selected`` property.
        for label in (self.title_label, self.shortcut_label):
            set_style_property(label, "selected", checked)

    def sizeHint(self) -> QSize:
        hint = self._row.sizeHint()
        return QSize(max(hint.width() + 16, 180), max(hint.height(), NAV_BUTTON_HEIGHT))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class Navigation(QFrame):
    """Emits ``page_requested(index)`` when a button is clicked; ``select`` mirrors the page."""

    page_requested = Signal(int)

    def __init__(
        self,
        entries: Sequence[tuple[str, QKeySequence]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: list[NavButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 12)
        layout.setSpacing(4)
        for index, (title, shortcut) in enumerate(entries):
            button = NavButton(title, shortcut, self)
            button.setObjectName(f"nav_{index}")
            self._group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self._group.idClicked.connect(self.page_requested)

    def select(self, index: int) -> None:
        self.buttons[index].setChecked(True)

    def selected(self) -> int:
        return self._group.checkedId()
