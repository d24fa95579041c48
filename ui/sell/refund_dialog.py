"""Refunds: find the sale by receipt number (typed or scanned), choose what comes back.

Whole or partial, never more than is still refundable (the service checks inside its write
transaction; the table shows what is left). Money goes back in cash or to the card. A role
without the refund permission gets a manager-approval dialog and the refund is retried.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.sell.approval import ask_approval
from ui.sell.pin_pad import TOUCH, no_enter_buttons
from ui.workers import run_in_background
from vendor_console.errors import DomainError, PermissionDenied
from vendor_console.permissions import Actor, Permission
from vendor_console.quantities import format_quantity, parse_quantity
from vendor_console.services.counter import CounterServices
from vendor_console.services.pricing import CARD, CASH, Tender
from vendor_console.services.refunds import RefundLine
from vendor_console.services.sale_records import SaleRecord

QTY_COLUMN = 3


class RefundDialog(QDialog):
    refunded = Signal(object)  # the refund SaleRecord
    show_receipt = Signal(str)  # a sale id to show (reprint)

    def __init__(self, services: CounterServices, actor: Actor, fmt: Callable[[int], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundDialog")
        self.setWindowTitle("Refund or show a receipt")
        self._services = services
        self._actor = actor
        self._fmt = fmt
        self.sale: SaleRecord | None = None
        self.approval: QDialog | None = None
        self.receipt = QLineEdit(self)
        self.receipt.setPlaceholderText("Receipt number — or scan the receipt  (Alt+N)")
        self.receipt.setAccessibleName("Receipt number")
        self.receipt.setMinimumHeight(TOUCH)
        self.receipt.returnPressed.connect(lambda: self.find_receipt(self.receipt.text()))
        self.summary = QLabel("", self)
        self.lines = QTableWidget(0, 4, self)
        self.lines.setHorizontalHeaderLabels(["Item", "Sold", "Refundable", "Refund"])
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Reason (required)  (Alt+R)")
        self.reason.setAccessibleName("Reason for the refund")
        self.reason.setMinimumHeight(TOUCH)
        self.problem = QLabel("", self)
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        self.lines.itemChanged.connect(lambda _i: self.problem.setText(""))
        grid = QGridLayout()
        for n, (label, action) in enumerate((
            ("Refund everything  (F2)", self.select_all),
            ("Show / reprint receipt  (Ctrl+P)", self.reprint),
            ("Refund in cash  (F9)", lambda: self.submit(CASH)),
            ("Refund to card  (F10)", lambda: self.submit(CARD)),
            ("Refund to the original tender  (F8)", self.submit_original),
        )):
            button = QPushButton(label, self)
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(lambda _c=False, a=action: a())
            grid.addWidget(button, n // 2, n % 2)
        QShortcut(QKeySequence("Alt+N"), self, self.receipt.setFocus)
        QShortcut(QKeySequence("Alt+R"), self, self.reason.setFocus)
        QShortcut(QKeySequence("F2"), self, self.select_all)
        QShortcut(QKeySequence("Ctrl+P"), self, self.reprint)
        QShortcut(QKeySequence("F9"), self, lambda: self.submit(CASH))
        QShortcut(QKeySequence("F10"), self, lambda: self.submit(CARD))
        QShortcut(QKeySequence("F8"), self, self.submit_original)
        close = QPushButton("Close  (Esc)", self)
        close.setMinimumHeight(TOUCH)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.receipt)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addLayout(grid)
        layout.addWidget(close)
        no_enter_buttons(self)

    # --- finding the sale -------------------------------------------------------------------

    def find_receipt(self, number: str) -> None:
        number = number.strip()
        if not number:
            return
        self.receipt.setText(number)
        run_in_background(lambda: self._services.checkout.find_by_receipt(number),
                          on_success=lambda sale: self._found(number, sale),
                          on_failure=self._failed, owner=self)

    def _found(self, number: str, sale: SaleRecord | None) -> None:
        if sale is None:
            self.problem.setText(f"There is no receipt {number}.")
            return
        self.show_sale(sale)

    def show_sale(self, sale: SaleRecord) -> None:
        self.sale = sale
        self.receipt.setText(sale.receipt_number)
        self.summary.setText(f"Receipt {sale.receipt_number} · {self._fmt(sale.total)} · "
                             f"{sale.completed_at.astimezone():%Y-%m-%d %H:%M}"
                             + (" · this is a refund" if sale.kind == "REFUND" else ""))
        self.lines.setRowCount(len(sale.lines))
        for row, line in enumerate(sale.lines):
            cells = (line.name, format_quantity(line.quantity, line.precision),
                     format_quantity(line.refundable_quantity, line.precision), "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != QTY_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.lines.setItem(row, column, item)
        self.problem.setText("")
        if sale.lines:  # typing a number now sets how many of the first line come back
            self.lines.setCurrentCell(0, QTY_COLUMN)
            self.lines.setFocus()

    def set_refund_quantity(self, row: int, text: str) -> None:
        self._cell(row).setText(text)

    def _cell(self, row: int) -> QTableWidgetItem:
        item = self.lines.item(row, QTY_COLUMN)
        assert item is not None  # every row gets its cells in show_sale
        return item

    def select_all(self) -> None:
        if self.sale is not None:
            for row, line in enumerate(self.sale.lines):
                self.set_refund_quantity(row, format_quantity(line.refundable_quantity,
                                                              line.precision))

    def reprint(self) -> None:
        if self.sale is not None:
            self.show_receipt.emit(self.sale.id)

    # --- refunding ------------------------------------------------------------------------

    def chosen_lines(self) -> list[RefundLine]:
        assert self.sale is not None
        chosen = []
        for row, line in enumerate(self.sale.lines):
            text = self._cell(row).text().strip()
            if text and text != "0":
                chosen.append(RefundLine(line.id, parse_quantity(text, line.precision,
                                                                 line.unit)))
        return chosen

    def submit(self, kind: str, approver: Actor | None = None) -> None:
        if self.sale is None:
            self.problem.setText("Find the receipt first.")
            return
        try:
            lines = self.chosen_lines()
        except DomainError as exc:
            self.problem.setText(exc.user_message)
            return
        sale, reason, refunds = self.sale, self.reason.text(), self._services.refunds
        reference = next((t.reference for t in sale.tenders if t.kind == kind), None) \
            if kind != CASH else None

        def refund() -> SaleRecord:
            quote = refunds.quote(sale.id, lines, cash_only=kind == CASH)
            return refunds.refund(self._actor, sale.id, lines,
                                  [Tender(kind, quote.total, reference=reference)],
                                  reason=reason, approver=approver)

        def refused(exc: BaseException, message: str) -> None:
            self.problem.setText(message)
            if isinstance(exc, PermissionDenied) and approver is None:
                self.approval = ask_approval(
                    self, self._services, Permission.REFUND, "Refunds need a manager.",
                    lambda a: self.submit(kind, a))

        run_in_background(refund, on_success=self._done, on_failure=refused, owner=self)

    def submit_original(self) -> None:
        """Back the way it was paid: the sale's card or shop tender (voucher…), else cash."""
        if self.sale is None:
            self.problem.setText("Find the receipt first.")
            return
        other = next((t.kind for t in self.sale.tenders if t.kind != CASH), CASH)
        self.submit(other)

    def _done(self, record: SaleRecord) -> None:
        self.refunded.emit(record)
        self.accept()

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.problem.setText(message)
