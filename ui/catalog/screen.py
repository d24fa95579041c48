"""The Catalog page with its product editor: the table, and the editor opened from it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.catalog.page import CatalogPage
from vendor_console.services.counter import CoreLike


class CatalogScreen(QWidget):
    def __init__(self, core: CoreLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.table_page = CatalogPage(core, self)
        self.editor: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table_page)
