"""Stock counts: start a session, scan (one more each scan) or type the counted total,
review the variances against what the ledger expects, apply them as counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.inventory.context import InventoryContext
from ui.records_model import Column, RecordsModel
from vendor_console.errors import DomainError
from vendor_console.quantities import format_quantity, parse_quantity
from vendor_console.services.stock_counts import CountLineRecord, CountSessionRecord

COUNTED = 3


def _qty(line: CountLineRecord, value: int) -> str:
    return format_quantity(value, line.precision)


class CountTab(QWidget):
    def __init__(self, ctx: InventoryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session: CountSessionRecord | None = None
        self.start_button = QPushButton("&Start a count", self)
        self.session_label = QLabel("No count in progress.", self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("Scan or type a barcode or SKU, then Enter")
        self.code.setEnabled(False)
        self.lines = RecordsModel([
            Column("Product", lambda r: r.name),
            Column("SKU", lambda r: r.sku or ""),
            Column("Expected", lambda r: _qty(r, r.expected), right=True),
            Column("Counted", lambda r: _qty(r, r.counted), right=True, editable=True),
            Column("Variance", lambda r: ("+" if r.variance > 0 else "") + _qty(r, r.variance),
                   right=True),
        ], self, on_edit=self._typed)
        self.view = QTableView(self)
        self.view.setModel(self.lines)
        self.apply_button = QPushButton("&Apply counts", self)
        self.cancel_button = QPushButton("Cancel count", self)
        self.apply_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.start_button)
        top.addWidget(self.session_label, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.code)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.start_button.clicked.connect(self.start)
        self.code.returnPressed.connect(self.scan)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.cancel)
        counts = self.ctx.console.counts
        self.ctx.read(counts.open_sessions, self._sessions_arrived, self)

    def _sessions_arrived(self, sessions: list[CountSessionRecord]) -> None:
        if sessions and self.session is None:
            self._use(sessions[0])

    def _use(self, session: CountSessionRecord | None) -> None:
        self.session = session
        active = session is not None
        self.code.setEnabled(active)
        self.apply_button.setEnabled(active)
        self.cancel_button.setEnabled(active)
        self.start_button.setEnabled(not active)
        self.session_label.setText(f"Counting: {session.name}" if session
                                   else "No count in progress.")
        if session is None:
            self.lines.set_records([])
        else:
            self.review()
            self.code.setFocus()

    def start(self) -> None:
        actor = self.ctx.actor()
        if actor is None:
            return
        counts = self.ctx.console.counts
        self.ctx.write(lambda: counts.start(actor), "Count started", self._use, self)

    def review(self) -> None:
        if self.session is None:
            return
        counts, sid = self.ctx.console.counts, self.session.id
        self.ctx.read(lambda: counts.review(sid), self.lines.set_records, self)

    def scan(self) -> None:
        actor, code = self.ctx.actor(), self.code.text()
        if actor is None or self.session is None:
            return
        self.code.clear()
        counts, sid = self.ctx.console.counts, self.session.id
        self.ctx.write(lambda: counts.scan(actor, sid, code), "Counted",
                       lambda _r: self.review(), self)

    def _typed(self, line: CountLineRecord, _column: int, text: str) -> bool:
        actor = self.ctx.actor()
        if actor is None or self.session is None:
            return False
        try:
            counted = parse_quantity(text, line.precision, line.unit)
        except DomainError as exc:
            self.ctx.message.emit(exc.user_message)
            return False
        counts, sid = self.ctx.console.counts, self.session.id
        self.ctx.write(lambda: counts.set_counted(actor, sid, line.variant_id, counted),
                       "Counted", lambda _r: self.review(), self)
        return True

    def apply(self) -> None:
        actor = self.ctx.actor()
        if actor is None or self.session is None:
            return
        counts, sid = self.ctx.console.counts, self.session.id
        self.ctx.write(lambda: counts.apply(actor, sid), "Counts applied",
                       lambda _r: self._use(None), self)

    def cancel(self) -> None:
        actor = self.ctx.actor()
        if actor is None or self.session is None:
            return
        counts, sid = self.ctx.console.counts, self.session.id
        self.ctx.write(lambda: counts.cancel(actor, sid), "Count cancelled",
                       lambda _r: self._use(None), self)

    def line_for(self, variant_id: str) -> Any:
        return next((r for r in self.lines.records() if r.variant_id == variant_id), None)
