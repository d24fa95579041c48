"""The dry-run report's row issues (errors, conflicts, warnings, skipped) as a table model."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ui.list_table_model import ListTableModel
from vendor_console.catalog_io.model import RowIssue
from vendor_console.catalog_io.plan_records import ImportPlan

HEADERS = ("Row", "Kind", "Column", "Message")
Index = QModelIndex | QPersistentModelIndex


class IssuesModel(ListTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, RowIssue]] = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._rows = [] if plan is None else sorted(
            [("Error", i) for i in plan.errors] + [("Conflict", i) for i in plan.conflicts]
            + [("Warning", i) for i in plan.warnings] + [("Skipped", i) for i in plan.skipped],
            key=lambda pair: pair[1].row)
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def titles(self) -> tuple[str, ...]:
        return HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        kind, issue = self._rows[index.row()]
        return (str(issue.row), kind, issue.column or "", issue.message)[index.column()]
    def kinds(self) -> list[str]:
        return [kind for kind, _ in self._rows]
