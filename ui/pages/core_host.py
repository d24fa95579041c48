"""A page that needs the open shop database: says it is waiting, then builds its content.

Sell, Analytics, Catalog and Inventory: the window may show the page before the database has
opened on its worker; the window's status refresh (after the core is published) calls
``show_status`` again, and ``build`` (which imports the heavy modules) runs once there is a core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sell.context import current_core

if TYPE_CHECKING:
    from vendor_console.services.counter import CoreLike
    from vendor_console.status import ShellStatus


class CoreHost(QWidget):
    def __init__(self, build: Callable[[CoreLike, QWidget], QWidget],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.content: QWidget | None = None
        self.waiting = QLabel("Opening the shop database…", self)
        self.waiting.setObjectName("pageLead")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.waiting)
        self.show_status(None)

    def show_status(self, _status: ShellStatus | None) -> None:
        """Called by the window when its status refreshes (e.g. once the core is open)."""
        core = current_core()
        if self.content is not None or core is None:
            return
        self.content = self._build(core, self)
        self.waiting.hide()
        self._layout.addWidget(self.content)
