"""What every flat table model here repeats: the row and column counts and the horizontal
header, from a list of rows and one title per column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    """A subclass says how many rows it has (``row_count``) and its columns' ``titles``."""

    def row_count(self) -> int:
        raise NotImplementedError

    def titles(self) -> Sequence[str]:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        titles = self.titles()
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(titles)):
            return titles[section]
        return None
