"""Sell: the counter checkout (ui/sell), built once the shop database is open.

The page is created before the window's first paint, while the database still opens on a
worker: until the core is published (``ui.sell.context``) it only says so, and the counter
modules (which load SQLAlchemy) are imported when the window refreshes its status after that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sell.context import current_core

if TYPE_CHECKING:
    from vendor_console.status import ShellStatus


class SellHost(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter: QWidget | None = None
        self.waiting = QLabel("Opening the shop database…", self)
        self.waiting.setObjectName("pageLead")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.waiting)
        self.show_status(None)

    def show_status(self, _status: ShellStatus | None) -> None:
        """Called by the window when its status refreshes (e.g. once the core is open)."""
        core = current_core()
        if self.counter is not None or core is None:
            return
        from ui.sell.page import SellPage

        self.counter = SellPage(core, self)
        self.waiting.hide()
        self._layout.addWidget(self.counter)


def create_page() -> QWidget:
    return SellHost()
