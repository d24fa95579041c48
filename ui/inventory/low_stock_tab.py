"""What is at or below its low-stock level, emptiest first."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ui.inventory.context import InventoryContext
from ui.records_model import Column, RecordsModel
from vendor_console.quantities import format_quantity
from vendor_console.services.inventory import LowStockItem


class LowStockTab(QWidget):
    def __init__(self, ctx: InventoryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = RecordsModel([
            Column("Product", lambda i: i.name),
            Column("SKU", lambda i: i.sku or ""),
            Column("On hand", lambda i: f"{format_quantity(i.on_hand, i.precision)} {i.unit}",
                   right=True),
            Column("Low-stock level", lambda i: format_quantity(i.threshold, i.precision),
                   right=True),
        ], self)
        self.view = QTableView(self)
        self.view.setModel(self.items)
        self.summary = QLabel(self)
        self.refresh_button = QPushButton("&Refresh", self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        inventory = self.ctx.console.inventory
        self.ctx.read(lambda: inventory.low_stock(500), self._arrived, self)

    def _arrived(self, items: list[LowStockItem]) -> None:
        self.items.set_records(items)
        self.summary.setText("Nothing is low on stock." if not items
                             else f"{len(items)} item{'s' if len(items) != 1 else ''} "
                                  "at or below their low-stock level")
