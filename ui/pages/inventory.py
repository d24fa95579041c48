"""Inventory: stock levels, adjustments, counts, low stock and labels (ui/inventory)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.core_host import CoreHost


def _build(core: object, parent: QWidget) -> QWidget:
    from ui.inventory.page import InventoryPage  # loads SQLAlchemy: after the first paint

    return InventoryPage(core, parent)  # type: ignore[arg-type]


def create_page() -> QWidget:
    return CoreHost(_build)
