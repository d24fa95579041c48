"""The sort/filter proxy in front of the catalog table.

Sorting or filtering 100k rows in a proxy would call Python ``data``/``filterAcceptsRow`` for
every row (and fetch every page). This proxy keeps the view's contract (a view sorts through
its model) but hands sort and filter to the source model, which asks SQLite on a worker; the
proxy itself maps rows one to one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from ui.catalog.table_model import CatalogTableModel
from vendor_console.services.catalog_table import CatalogFilter


class CatalogProxy(QSortFilterProxyModel):
    def __init__(self, source: CatalogTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.setSourceModel(source)
        self.catalog = source

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.catalog.sort(column, order)

    def set_filter(self, f: CatalogFilter) -> None:
        self.catalog.set_filter(f)

    def source_row(self, row: int) -> int:
        return self.mapToSource(self.index(row, 0)).row()
