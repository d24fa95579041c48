"""The Catalog page with its product editor: the table, and the editor opened from it."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.catalog.editor.dialog import ProductEditor
from ui.catalog.page import CatalogPage
from vendor_console.services.counter import CoreLike


class CatalogScreen(QWidget):
    def __init__(self, core: CoreLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.table_page = CatalogPage(core, self)
        self.editor: ProductEditor | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table_page)
        self.table_page.edit_product.connect(self.open_editor)

    def open_editor(self, product_id: str) -> ProductEditor:
        """Open the editor on ``product_id`` ("" = a new product), without blocking."""
        self.editor = ProductEditor(self.table_page.console, self.core.signed_in,
                                    product_id or None, self)
        self.editor.open()
        return self.editor
