"""The Settings page's sections in a scroll area that follows the keyboard: whichever control
gets focus (Tab, an Alt+letter mnemonic, a click) is scrolled into view, so every section is
reachable on a small screen (1366×768, 1280×800). Ctrl+PgDn / Ctrl+PgUp jump to the first
control of the next / previous section."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QGroupBox, QScrollArea, QVBoxLayout, QWidget

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

    def install_section_keys(self, page: QWidget) -> None:
        """Ctrl+PgDn / Ctrl+PgUp anywhere on ``page``: next / previous section."""
        for keys, step in ((QKeySequence("Ctrl+PgDown"), 1), (QKeySequence("Ctrl+PgUp"), -1)):
            shortcut = QShortcut(keys, page)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.jump(s))

    def section_boxes(self) -> list[QGroupBox]:
        """The sections that have a control to go to, top to bottom."""
        boxes = [box for box in self.content.findChildren(QGroupBox)
                 if box.isVisibleTo(self.content) and first_control(box) is not None]
        return sorted(boxes, key=lambda box: box.mapTo(self.content, QPoint(0, 0)).y())

    def jump(self, step: int) -> QGroupBox | None:
        """Focus the first control of the section ``step`` away from the focused one."""
        boxes = self.section_boxes()
        if not boxes:
            return None
        focused = QApplication.focusWidget()
        here = next((n for n, box in enumerate(boxes)
                     if focused is not None and box.isAncestorOf(focused)), None)
        if here is None:
            target = 0 if step > 0 else len(boxes) - 1
        else:
            target = max(0, min(len(boxes) - 1, here + step))
        box = boxes[target]
        control = first_control(box)
        if control is not None:
            control.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.ensureWidgetVisible(control, FOCUS_MARGIN, FOCUS_MARGIN)
        return box

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new is not self.content and self.content.isAncestorOf(new):
            self.ensureWidgetVisible(new, FOCUS_MARGIN, FOCUS_MARGIN)


def first_control(box: QWidget) -> QWidget | None:
    """The first control of ``box`` that Tab would reach, in the focus chain's order."""
    widget = box.nextInFocusChain()
    for _ in range(2000):  # the chain is a ring: stop at the box or after a full turn
        if widget is box or widget is None:
            return None
        if (box.isAncestorOf(widget) and widget.isVisibleTo(box) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            return widget
        widget = widget.nextInFocusChain()
    return None
