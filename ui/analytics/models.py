"""Read-only item models for the Analytics page: small tables and the weekday x hour heatmap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ui.list_table_model import ListTableModel
from vendor_console.services.analytics_report import WEEKDAYS

Index = QModelIndex | QPersistentModelIndex


class RecordsModel(ListTableModel):
    """Rows of already formatted text; columns listed in ``numeric`` are right-aligned."""

    def __init__(self, headers: Sequence[str], numeric: Sequence[int] = (),
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = set(numeric)
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def titles(self) -> list[str]:
        return self._headers

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
          Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
          Qt.ItemDataRole.TextAlignmentRole)


class HeatmapModel(QAbstractTableModel):
    """7 rows (Monday first) x 24 local hours; the cell shows the number of sales and is
    shaded by net money, on a scale that reads on both the light and the dark theme."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._count = [[0] * 24 for _ in range(7)]
        self._net = [[0] * 24 for _ in range(7)]
        self._tips = [[""] * 24 for _ in range(7)]
        self._peak = 1
        self.dark = False
        self._roles: dict[int, list[list[Any]]] = {}
        self._prepare()

    def set_cells(self, cells: Sequence[tuple[int, int, int, int, str]]) -> None:
        """(weekday, hour, sales, net minor units, tooltip text)"""
        self.beginResetModel()
        for weekday, hour, count, net, tip in cells:
            self._count[weekday][hour] = count
            self._net[weekday][hour] = net
            self._tips[weekday][hour] = tip
        self._peak = max([1, *(max(row) for row in self._net)])
        self._prepare()
        self.endResetModel()

    def _prepare(self) -> None:
        """Every cell's value per role, computed once (views ask for them on every paint)."""
        light, dark = QColor("#f3f4f6"), QColor("#111827")
        centre = int(Qt.AlignmentFlag.AlignCenter)
        roles: dict[int, list[list[Any]]] = {int(r): [] for r in _ROLES}
        for w in range(7):
            for role in roles.values():
                role.append([])
            for h in range(24):
                share = max(0.0, self._net[w][h] / self._peak)
                count = self._count[w][h]
                roles[int(Qt.ItemDataRole.DisplayRole)][w].append(str(count) if count else "")
                roles[int(Qt.ItemDataRole.BackgroundRole)][w].append(self.shade(share))
                roles[int(Qt.ItemDataRole.ForegroundRole)][w].append(
                    light if self.dark and share <= 0.55 else dark)
                roles[int(Qt.ItemDataRole.ToolTipRole)][w].append(self._tips[w][h])
                roles[int(Qt.ItemDataRole.TextAlignmentRole)][w].append(centre)
        self._roles = roles

    def sales(self, weekday: int, hour: int) -> int:
        return self._count[weekday][hour]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 24

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self._roles.get(int(role))
        if table is None or not index.isValid():
            return None
        return table[index.row()][index.column()]

    def shade(self, share: float) -> QColor:
        """From the page colour (nothing sold) to amber (the busiest hour)."""
        base = QColor("#1f2937") if self.dark else QColor("#ffffff")
        peak = QColor("#f59e0b")
        mix = min(1.0, share)
        return QColor(round(base.red() + (peak.red() - base.red()) * mix),
                      round(base.green() + (peak.green() - base.green()) * mix),
                      round(base.blue() + (peak.blue() - base.blue()) * mix))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return f"{section:02d}" if orientation == Qt.Orientation.Horizontal else WEEKDAYS[section]
