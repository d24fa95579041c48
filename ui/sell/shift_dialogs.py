"""Shifts at the counter: open with a counted float, cash in/out, X and Z reports."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sell.approval import ask_approval
from ui.sell.ask import ask
from ui.sell.pin_pad import TOUCH, no_enter_buttons
from ui.workers import run_in_background
from vendor_console import money
from vendor_console.errors import DomainError, PermissionDenied
from vendor_console.permissions import Actor, Permission
from vendor_console.receipts import tender_label
from vendor_console.services.counter import CounterServices
from vendor_console.services.shift_reports import ShiftReport
from vendor_console.services.shifts import ShiftRecord


def report_text(report: ShiftReport, fmt: Callable[[int], str]) -> str:
    shift = report.shift
    closed = report.counted_cash is not None
    rows = [
        f"{'Z' if closed else 'X'} report — shift {shift.number}",
        f"Opened {shift.opened_at.astimezone():%Y-%m-%d %H:%M}"
        + (f", closed {shift.closed_at.astimezone():%H:%M}" if shift.closed_at else ""),
        "",
        f"Sales ({report.sales_count}): {fmt(report.sales_total)}",
        f"Refunds ({report.refunds_count}): {fmt(report.refunds_total)}",
        f"Net takings: {fmt(report.net_total)}",
        f"Discounts given: {fmt(report.discount_total)}",
        "",
    ]
    rows += [f"Tax {t.rate_bp / 100:g} %: {fmt(t.tax)} on {fmt(t.taxable)}"
             for t in report.taxes]
    rows += [f"{tender_label(t.kind)}: {fmt(t.net)}" for t in report.tenders]
    rows += [
        "",
        f"Opening float: {fmt(report.opening_float)}",
        f"Cash sales: {fmt(report.cash_sales)}",
        f"Cash refunds: −{fmt(report.cash_refunds)}",
        f"Cash in: {fmt(report.cash_in)}",
        f"Cash out: −{fmt(report.cash_out)}",
        f"Expected in drawer: {fmt(report.expected_cash)}",
    ]
    if report.counted_cash is not None and report.difference is not None:
        diff = report.difference
        word = "over" if diff > 0 else "short" if diff < 0 else "exact"
        rows += [f"Counted: {fmt(report.counted_cash)}",
                 f"Difference: {fmt(diff)} ({word})"]
    return "\n".join(rows)


def parse_amount(text: str, currency: str) -> int:
    return money.parse_money(text or "0", currency, field="amount")


class ShiftDialog(QDialog):
    """Shift state and actions; reports are shown in the dialog, in plain text."""

    def __init__(self, services: CounterServices, actor: Actor, currency: str,
                 fmt: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftDialog")
        self.setWindowTitle("Shift and cash")
        self._services = services
        self._actor = actor
        self._currency = currency
        self._fmt = fmt
        self.shift: ShiftRecord | None = None
        self.child: QDialog | None = None
        self.state = QLabel("Checking the shift…", self)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.report.setFont(mono)
        self.problem = QLabel("", self)
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for n, (key, label, action) in enumerate((
            ("open", "Open shift  (F2)", self.ask_open), ("x", "X report  (F3)", self.x_report),
            ("in", "Cash in  (F4)", lambda: self.ask_cash("IN")),
            ("out", "Cash out  (F5)", lambda: self.ask_cash("OUT")),
            ("close", "Close shift, Z report  (F6)", self.ask_close),
            ("done", "Close  (Esc)", self.reject),
            ("print", "Print report  (Ctrl+P)", self.print_report),
        )):
            button = QPushButton(label, self)
            if key != "done":  # a disabled button ignores its key, as it ignores a click
                button.setShortcut(QKeySequence(label.rsplit("(", 1)[1].rstrip(")")))
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(lambda _c=False, a=action: a())
            grid.addWidget(button, n // 2, n % 2)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.problem)
        layout.addLayout(grid)
        no_enter_buttons(self)
        self.refresh()

    def print_report(self) -> None:
        """Print the X or Z report shown (on the receipt printer, through its queue)."""
        from ui.devices.printing import print_text

        text = self.report.toPlainText()
        if not text:
            self.problem.setText("Show an X report (or close the shift) first.")
        elif not print_text("report", text, notify=self.problem.setText, owner=self):
            self.problem.setText("No receipt printer is set up.")

    def refresh(self) -> None:
        run_in_background(self._services.shifts.current_shift, on_success=self._show_shift,
                          on_failure=self._failed, owner=self)

    def _show_shift(self, shift: ShiftRecord | None) -> None:
        self.shift = shift
        self.state.setText(f"Shift {shift.number} is open since "
                           f"{shift.opened_at.astimezone():%H:%M}." if shift
                           else "No shift is open: open one to take payments.")
        self.buttons["open"].setEnabled(shift is None)
        for key in ("x", "in", "out", "close"):
            self.buttons[key].setEnabled(shift is not None)

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.problem.setText(message)

    def _ask(self, title: str, prompt: str, then: Callable[[str], object]) -> None:
        self.child = ask(self, title, prompt, then)

    def _run(self, call: Callable[[Actor | None], object], done: Callable[[object], None],
             permission: Permission, why: str, approver: Actor | None = None) -> None:
        def refused(exc: BaseException, message: str) -> None:
            self.problem.setText(message)
            if isinstance(exc, PermissionDenied) and approver is None:
                self.child = ask_approval(self, self._services, permission, why,
                                          lambda a: self._run(call, done, permission, why, a))

        run_in_background(lambda: call(approver), on_success=done, on_failure=refused,
                          owner=self)

    def _amount(self, text: str) -> int | None:
        try:
            return parse_amount(text, self._currency)
        except DomainError as exc:
            self.problem.setText(exc.user_message)
            return None

    def ask_open(self) -> None:
        self._ask("Open shift", "Count the cash in the drawer (opening float):", self.open_with)

    def open_with(self, text: str) -> None:
        amount = self._amount(text)
        if amount is None:
            return
        self._run(lambda a: self._services.shifts.open_shift(self._actor, amount, approver=a),
                  lambda _s: self._opened(), Permission.OPEN_CLOSE_SHIFT,
                  "Opening a shift needs a manager.")

    def _opened(self) -> None:
        self.problem.setText("")
        self.refresh()

    def x_report(self) -> None:
        if self.shift is None:
            return
        shift_id = self.shift.id
        run_in_background(lambda: self._services.shifts.x_report(shift_id),
                          on_success=self._show_report, on_failure=self._failed, owner=self)

    def _show_report(self, report: object) -> None:
        assert isinstance(report, ShiftReport)
        self.report.setPlainText(report_text(report, self._fmt))

    def ask_cash(self, kind: str) -> None:
        word = "into" if kind == "IN" else "out of"
        self._ask("Cash in" if kind == "IN" else "Cash out",
                  f"Amount put {word} the drawer, then the reason after a semicolon "
                  "(e.g. 20; change from the bank):", lambda text: self.cash(kind, text))

    def cash(self, kind: str, text: str) -> None:
        amount_text, _, reason = text.partition(";")
        amount = self._amount(amount_text)
        if amount is None:
            return
        shifts = self._services.shifts
        method = shifts.cash_in if kind == "IN" else shifts.cash_out
        self._run(lambda a: method(self._actor, amount, reason.strip(), approver=a),
                  lambda _m: self.x_report(), Permission.CASH_IN_OUT,
                  "Taking cash in or out needs a manager.")

    def ask_close(self) -> None:
        self._ask("Close shift", "Count the cash in the drawer:", self.close_with)

    def close_with(self, text: str) -> None:
        amount = self._amount(text)
        if amount is None:
            return
        self._run(lambda a: self._services.shifts.close_shift(self._actor, amount, approver=a),
                  self._closed, Permission.OPEN_CLOSE_SHIFT, "Closing a shift needs a manager.")

    def _closed(self, report: object) -> None:
        self._show_report(report)
        self.refresh()
