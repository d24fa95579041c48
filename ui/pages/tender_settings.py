"""Settings → Tenders: the shop's own ways to pay (vouchers, cheques…), besides cash and card.

Each row is a name, the code stored on payments, whether it opens the cash drawer and whether
the cashier must type a reference. Saving needs a signed-in person allowed to change settings
(the owner by default); a refused or invalid list is explained and nothing is saved. Reads and
writes run on a worker; the counter services load only once the shop database is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.sell.context import current_core
from ui.workers import run_in_background
from vendor_console.tender_config import MAX_TENDERS, TenderOption

if TYPE_CHECKING:
    from vendor_console.services.counter import CoreLike

COLUMNS = ("Name", "Code (optional)", "Opens drawer", "Needs reference")


class TenderSettings(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Tenders", parent)
        self.setObjectName("tenderSettings")
        self.loaded = False
        lead = QLabel("Cash (F9) and card (F10) are always offered. Other tenders appear in "
                      f"the payment window as Ctrl+1 to Ctrl+{MAX_TENDERS}, in this order.",
                      self)
        lead.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("tenderTable")
        self.table.setAccessibleName("Other tenders")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.status = QLabel("", self)
        self.status.setObjectName("tenderStatus")
        self.status.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, action in (("add", "Add tender  (Ctrl+N)", self.add_row),
                                  ("remove", "Remove tender  (Ctrl+Del)", self.remove_row),
                                  ("save", "Save tenders  (Ctrl+S)", self.save)):
            button = QPushButton(text, self)
            button.setObjectName(f"tender_{key}")
            button.setShortcut(text.split("(")[1].rstrip(")"))
            button.setMinimumHeight(48)
            button.clicked.connect(lambda _c=False, a=action: a())
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.load()

    # --- reading ----------------------------------------------------------------------------

    def _core(self) -> CoreLike | None:
        core = current_core()
        if core is None:
            self.status.setText("Tenders can be changed once the shop database is open.")
        return core

    def load(self) -> None:
        core = self._core()
        if core is None:
            return
        from vendor_console.services.tenders import TenderService

        service = TenderService(core.db, core.settings)
        run_in_background(service.options, on_success=self.show_options,
                          on_failure=lambda _e, m: self.status.setText(m), owner=self)

    def show_options(self, options: tuple[TenderOption, ...]) -> None:
        self.table.setRowCount(0)
        for option in options:
            self.add_row(option)
        self.loaded = True

    # --- editing ----------------------------------------------------------------------------

    def add_row(self, option: TenderOption | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(option.name if option else ""))
        self.table.setItem(row, 1, QTableWidgetItem(option.kind if option else ""))
        for column, flag in ((2, option.opens_drawer if option else False),
                             (3, option.needs_reference if option else False)):
            item = QTableWidgetItem("")
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                          | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if flag else Qt.CheckState.Unchecked)
            self.table.setItem(row, column, item)
        if option is None:
            self.table.setCurrentCell(row, 0)
            self.table.setFocus()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def options(self) -> list[TenderOption]:
        """What the table says now (checked when saved)."""
        found = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in range(len(COLUMNS))]
            name, kind, drawer, reference = cells
            found.append(TenderOption(
                name.text() if name else "", kind.text() if kind else "",
                drawer is not None and drawer.checkState() == Qt.CheckState.Checked,
                reference is not None and reference.checkState() == Qt.CheckState.Checked))
        return found

    def save(self) -> None:
        core = self._core()
        if core is None:
            return
        actor = core.signed_in
        if actor is None:
            self.status.setText("Sign in on the Sell page first: changing tenders needs "
                                "the owner or someone allowed to change settings.")
            return
        from vendor_console.services.tenders import TenderService

        service, options = TenderService(core.db, core.settings), self.options()

        def saved(cleaned: tuple[TenderOption, ...]) -> None:
            self.show_options(cleaned)
            self.status.setText(f"Saved {len(cleaned)} tender(s) by {actor.name}.")

        run_in_background(lambda: service.save(actor, options), on_success=saved,
                          on_failure=lambda _e, m: self.status.setText(m), owner=self)
