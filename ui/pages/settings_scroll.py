"""The Settings page's sections in a scroll area that follows the keyboard: whichever control
gets focus (Tab, an Alt+letter mnemonic, a click) is scrolled into view, so every section is
reachable on a small screen (1366×768, 1280×800)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QVBoxLayout, QWidget

FOCUS_MARGIN = 24  # pixels shown around the focused control (its label, a bit of context)


class SectionScroll(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.content = QWidget(self)
        self.content.setObjectName("settingsContent")
        self.sections = QVBoxLayout(self.content)
        self.sections.setContentsMargins(32, 8, 32, 24)
        self.sections.setSpacing(16)
        self.setWidget(self.content)
        self.viewport().setAutoFillBackground(False)  # the page's themed background shows
        self.content.setAutoFillBackground(False)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def add(self, section: QWidget) -> None:
        self.sections.addWidget(section)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new is not self.content and self.content.isAncestorOf(new):
            self.ensureWidgetVisible(new, FOCUS_MARGIN, FOCUS_MARGIN)
