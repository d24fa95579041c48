"""An Inventory tab over a list a service hands over whole: a summary line and the tab's button
above a read-only table; ``refresh`` reads the list again on a worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from ui.inventory.context import InventoryContext
from ui.records_model import Column, RecordsModel

T = TypeVar("T")


def items_text(count: int) -> str:
    return f"{count} item{'s' if count != 1 else ''}"


class RecordsTab(QWidget, Generic[T]):
    def __init__(self, ctx: InventoryContext, columns: Sequence[Column], button: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = RecordsModel(columns, self)
        self.view = QTableView(self)
        self.view.setModel(self.items)
        self.summary = QLabel(self)
        self.button = QPushButton(button, self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        self.ctx.read(self.reader(), self._arrived, self)

    def reader(self) -> Callable[[], list[T]]:
        """What ``refresh`` runs on a worker (taken here, on the GUI thread)."""
        raise NotImplementedError

    def describe(self, items: list[T]) -> str:
        """The summary line over the list."""
        raise NotImplementedError

    def _arrived(self, items: list[T]) -> None:
        self.items.set_records(items)
        self.summary.setText(self.describe(items))
