"""Orders: the marketplace's online order queue (ui/orders)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def create_page() -> QWidget:
    from ui.orders.page import OrdersPage

    return OrdersPage()
