"""The receipt on screen, and where the counter hands receipts to the printer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ui.sell.pin_pad import TOUCH, no_enter_buttons
from ui.workers import run_in_background
from vendor_console.receipts import ReceiptDocument
from vendor_console.services.counter import CounterServices

COLUMNS = 42


def _pair(left: str, right: str, width: int = COLUMNS) -> str:
    gap = max(1, width - len(left) - len(right))
    return f"{left}{' ' * gap}{right}"


def receipt_text(doc: ReceiptDocument) -> str:
    """The receipt as monospaced text, the same content the printer gets."""
    out = [doc.shop_name.center(COLUMNS), *(h.center(COLUMNS) for h in doc.header), ""]
    title = "REFUND" if doc.kind == "REFUND" else "Receipt"
    out.append(_pair(f"{title} {doc.receipt_number}", doc.when()))
    if doc.original_receipt:
        out.append(f"Refund of receipt {doc.original_receipt}")
    out.append("-" * COLUMNS)
    for line in doc.lines:
        out.append(_pair(line.name[:COLUMNS - 12], doc.money(line.amount)))
        if line.show_quantity:
            out.append(f"  {line.quantity} x {doc.money(line.unit_price)}")
        if line.discount:
            out.append(_pair("  Discount", f"-{doc.money(line.discount)}"))
        if line.note:
            out.append(f"  {line.note}")
    out.append("-" * COLUMNS)
    out.append(_pair("Subtotal", doc.money(doc.subtotal)))
    if doc.discount_total:
        out.append(_pair("Discounts", f"-{doc.money(doc.discount_total)}"))
    for tax in doc.taxes:
        label = "incl." if doc.prices_include_tax else "plus"
        out.append(_pair(f"Tax {doc.rate(tax.rate_bp)} {label}", doc.money(tax.tax)))
    if doc.rounding:
        out.append(_pair("Rounding", doc.money(doc.rounding)))
    out.append(_pair("TOTAL", doc.money(doc.total)))
    for tender in doc.tenders:
        ref = f" ({tender.reference})" if tender.reference else ""
        out.append(_pair(f"{tender.label}{ref}", doc.money(tender.tendered)))
    if doc.change:
        out.append(_pair("Change", doc.money(doc.change)))
    if doc.served_by:
        out.append(f"Served by {doc.served_by}")
    out.extend(["", *(f.center(COLUMNS) for f in doc.footer)])
    return "\n".join(out)


def queue_receipt_print(services: CounterServices, sale_id: str, *,
                        open_drawer: bool = False, notify: Callable[[str], None] | None = None,
                        owner: QObject | None = None) -> bool:
    """Queue the receipt of ``sale_id`` on the device thread (persisted, printed in the
    background; the drawer opens when ``open_drawer``: cash was taken). False when no device
    runtime runs: the receipt is on screen only. A printer failure never blocks the sale."""
    del services  # the device thread reads the sale itself
    from ui.devices.printing import print_sale

    return print_sale(sale_id, open_drawer=open_drawer, notify=notify, owner=owner)


class ReceiptDialog(QDialog):
    def __init__(self, services: CounterServices, sale_id: str, *, change: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptDialog")
        self.setWindowTitle("Receipt")
        self._services = services
        self.sale_id = sale_id
        self.document: ReceiptDocument | None = None
        self.change_label = QLabel(f"Change: {change}" if change else "", self)
        self.change_label.setObjectName("bigTotal")
        self.change_label.setVisible(bool(change))
        self.text = QPlainTextEdit("Preparing the receipt…", self)
        self.text.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)
        self.text.setMinimumWidth(420)
        self.print_status = QLabel("", self)
        print_button = QPushButton("Print  (Ctrl+P)", self)
        done = QPushButton("Done  (Enter)", self)
        done.setDefault(True)
        for button in (print_button, done):
            button.setMinimumHeight(TOUCH)
        print_button.clicked.connect(self.print_receipt)
        done.clicked.connect(self.accept)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_receipt)
        layout = QVBoxLayout(self)
        layout.addWidget(self.change_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.print_status)
        layout.addWidget(print_button)
        layout.addWidget(done)
        no_enter_buttons(self, keep=done)
        run_in_background(lambda: services.receipt(sale_id),
                          on_success=self._show, on_failure=self._failed, owner=self)

    def _show(self, doc: ReceiptDocument) -> None:
        self.document = doc
        self.text.setPlainText(receipt_text(doc))

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.text.setPlainText(message)

    def print_receipt(self) -> None:
        """Reprint on demand (a new print job for this receipt)."""
        from ui.devices.printing import reprint_sale

        if not reprint_sale(self.sale_id, notify=self.print_status.setText, owner=self):
            self.print_status.setText("No receipt printer is set up: the receipt is on screen.")
