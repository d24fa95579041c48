"""Sell: the counter checkout (ui/sell), built once the shop database is open.

The page is created before the window's first paint, while the database still opens on a
worker: until the core is published (``ui.sell.context``) it only says so, and the counter
modules (which load SQLAlchemy) are imported when the window refreshes its status after that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.pages.core_host import CoreHost

if TYPE_CHECKING:
    from vendor_console.services.counter import CoreLike


def _build(core: CoreLike, parent: QWidget) -> QWidget:
    from ui.sell.page import SellPage  # loads SQLAlchemy: after the first paint

    return SellPage(core, parent)


def create_page() -> QWidget:
    return CoreHost(_build)
