"""The Inventory page: a tab per job (stock of a variant, counts, low stock, labels)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.inventory.context import InventoryContext
from ui.inventory.count_tab import CountTab
from ui.inventory.labels_tab import LabelsTab
from ui.inventory.low_stock_tab import LowStockTab
from ui.inventory.records_tab import RecordsTab
from ui.inventory.stock_tab import StockTab
from vendor_console.services.counter import CoreLike


class InventoryPage(QWidget):
    def __init__(self, core: CoreLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = InventoryContext(core, self)
        self.info = QLabel(self)
        self.info.setObjectName("inventoryMessage")
        self.info.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.stock = StockTab(self.ctx, self)
        self.counts = CountTab(self.ctx, self)
        self.low_stock = LowStockTab(self.ctx, self)
        self.labels = LabelsTab(self.ctx, self)
        self.tabs.addTab(self.stock, "&Stock and history")
        self.tabs.addTab(self.counts, "&Count")
        self.tabs.addTab(self.low_stock, "Lo&w stock")
        self.tabs.addTab(self.labels, "La&bels")
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.tabs, 1)
        self.ctx.message.connect(self.info.setText)
        self.tabs.currentChanged.connect(self._tab_shown)

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, RecordsTab):
            tab.refresh()
