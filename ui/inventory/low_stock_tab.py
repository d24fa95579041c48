"""What is at or below its low-stock level, emptiest first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ui.inventory.context import InventoryContext
from ui.inventory.records_tab import RecordsTab, items_text
from ui.records_model import Column
from vendor_console.quantities import format_quantity
from vendor_console.services.inventory import LowStockItem


class LowStockTab(RecordsTab[LowStockItem]):
    def __init__(self, ctx: InventoryContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, [
            Column("Product", lambda i: i.name),
            Column("SKU", lambda i: i.sku or ""),
            Column("On hand", lambda i: f"{format_quantity(i.on_hand, i.precision)} {i.unit}",
                   right=True),
            Column("Low-stock level", lambda i: format_quantity(i.threshold, i.precision),
                   right=True),
        ], "&Refresh", parent)
        self.refresh_button = self.button
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    def reader(self) -> Callable[[], list[LowStockItem]]:
        inventory = self.ctx.console.inventory
        return lambda: inventory.low_stock(500)

    def describe(self, items: list[LowStockItem]) -> str:
        return ("Nothing is low on stock." if not items
                else f"{items_text(len(items))} at or below their low-stock level")
