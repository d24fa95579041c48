"""A read-only table over a list of plain records, with columns given as (title, text of a
record). Used for short lists a service hands over whole (history, low stock, count lines)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ui.list_table_model import ListTableModel

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class Column:
    def __init__(self, title: str, text: Callable[[Any], str], *, right: bool = False,
                 editable: bool = False) -> None:
        self.title, self.text, self.right, self.editable = title, text, right, editable


class RecordsModel(ListTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None,
                 on_edit: Callable[[Any, int, str], bool] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._records: list[Any] = []
        self._on_edit = on_edit

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    def row_count(self) -> int:
        return len(self._records)

    def titles(self) -> list[str]:
        return [c.title for c in self.columns]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        column = self.columns[index.column()]
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RECORD_ROLE:
            return record
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable and self._on_edit:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self._on_edit is None
                or not self.columns[index.column()].editable):
            return False
        return self._on_edit(self._records[index.row()], index.column(), str(value))
