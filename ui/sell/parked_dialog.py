"""The list of parked sales: pick one to resume it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sell.pin_pad import TOUCH, no_enter_buttons
from ui.workers import run_in_background
from vendor_console.services.counter import CounterServices
from vendor_console.services.parked_sales import ParkedSummary

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ParkedDialog(QDialog):
    resume_requested = Signal(str)  # parked sale id

    def __init__(self, services: CounterServices, fmt: Callable[[int], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parkedDialog")
        self.setWindowTitle("Parked sales")
        self._fmt = fmt
        self.heading = QLabel("Loading parked sales…", self)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Parked sales")
        self.list.itemActivated.connect(lambda _item: self.resume_selected())
        resume = QPushButton("Resume  (Enter)", self)
        close = QPushButton("Close  (Esc)", self)
        for button in (resume, close):
            button.setMinimumHeight(TOUCH)
        resume.clicked.connect(self.resume_selected)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(resume)
        layout.addWidget(close)
        no_enter_buttons(self)  # Enter activates the list item
        self.loaded = False
        run_in_background(services.parked.list_parked, on_success=self._show, owner=self)

    def _show(self, parked: list[ParkedSummary]) -> None:
        self.loaded = True
        self.heading.setText("Parked sales, oldest first" if parked
                             else "No sales are parked.")
        for p in parked:
            when = p.parked_at.astimezone().strftime("%H:%M")
            entry = QListWidgetItem(
                f"{p.label}  ·  {p.item_count} line(s)  ·  {self._fmt(p.total)}  ·  {when}")
            entry.setData(ID_ROLE, p.id)
            self.list.addItem(entry)
        if parked:
            self.list.setCurrentRow(0)
            self.list.setFocus()

    def labels(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def resume_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.resume_requested.emit(str(item.data(ID_ROLE)))
            self.accept()
