"""Analytics: how the shop is doing (ui/analytics), built once the shop database is open.

Like Sell, the page may exist before the core does: until then it only says so. QtCharts and
the analytics services load when the page is first shown with a core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sell.context import current_core

if TYPE_CHECKING:
    from vendor_console.status import ShellStatus


class AnalyticsHost(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analytics: QWidget | None = None
        self.waiting = QLabel("Opening the shop database…", self)
        self.waiting.setObjectName("pageLead")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.waiting)
        self.show_status(None)

    def show_status(self, _status: ShellStatus | None) -> None:
        """Called by the window when its status refreshes (e.g. once the core is open)."""
        core = current_core()
        if self.analytics is not None or core is None:
            return
        from ui.analytics.page import AnalyticsPage
        from vendor_console.services.analytics_dashboard import AnalyticsService

        self.analytics = AnalyticsPage(AnalyticsService(core.db), self)
        self.waiting.hide()
        self._layout.addWidget(self.analytics)


def create_page() -> QWidget:
    return AnalyticsHost()
