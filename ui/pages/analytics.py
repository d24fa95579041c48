"""Analytics: how the shop is doing (ui/analytics), built once the shop database is open.

Like Sell, the page may exist before the core does: until then it only says so. QtCharts and
the analytics services load when the page is first shown with a core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.pages.core_host import CoreHost

if TYPE_CHECKING:
    from vendor_console.services.counter import CoreLike


def _build(core: CoreLike, parent: QWidget) -> QWidget:
    from ui.analytics.page import AnalyticsPage  # loads QtCharts: after the first paint
    from vendor_console.services.analytics_dashboard import AnalyticsService

    return AnalyticsPage(AnalyticsService(core.db), parent)


def create_page() -> QWidget:
    return CoreHost(_build)
