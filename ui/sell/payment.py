"""Taking payment: cash with change, card on an external terminal (reference), the shop's
other tenders (``counter.tenders``: Ctrl+1 …), and splits across any of them.

The dialog only collects tenders; the sell page completes the sale with them. Cash rounding
applies only when everything is paid in cash, exactly as ``CheckoutService`` prices it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sell.pin_pad import TOUCH, no_enter_buttons
from vendor_console import money
from vendor_console.errors import DomainError
from vendor_console.services.checkout import ShopTerms
from vendor_console.services.pricing import CARD, CASH, Tender
from vendor_console.tender_config import TenderOption

NOTES = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # in major units


def quick_amounts(remaining: int, currency: str, count: int = 4) -> list[int]:
    """The exact amount, then the next banknote-like amounts above it."""
    unit = 10 ** money.minor_digits(currency)
    amounts = [remaining]
    for note in NOTES:
        value = note * unit
        if value > remaining and len(amounts) < count:
            amounts.append(value)
    return amounts


class PaymentDialog(QDialog):
    paid = Signal(object)  # tuple[Tender, ...] covering the total

    def __init__(self, terms: ShopTerms, total: int, parent: QWidget | None = None,
                 others: Sequence[TenderOption] = ()) -> None:
        super().__init__(parent)
        self.others = tuple(others)
        self.names = {CASH: "Cash", CARD: "Card"} | {o.kind: o.name for o in self.others}
        self.setObjectName("paymentDialog")
        self.setWindowTitle("Payment")
        self.terms = terms
        self.due_exact = total
        self.due_cash = money.cash_round(total, terms.cash_rounding)
        self.tenders: list[Tender] = []

        self.total_label = QLabel(self)
        self.total_label.setObjectName("bigTotal")
        self.remaining_label = QLabel(self)
        self.remaining_label.setObjectName("remaining")
        self.paid_list = QListWidget(self)
        self.amount = QLineEdit(self)
        self.amount.setAccessibleName("Amount")
        self.amount.setMinimumHeight(TOUCH)
        self.amount.returnPressed.connect(self.add_cash)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("Reference: card terminal, voucher number…")
        self.reference.setAccessibleName("Payment reference")
        self.reference.setMinimumHeight(TOUCH)
        self.reference.returnPressed.connect(self.add_card)
        self.problem = QLabel("", self)
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        self.quick_row = QHBoxLayout()
        self.quick_buttons: list[QPushButton] = []

        buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.total_label)
        layout.addWidget(self.remaining_label)
        layout.addWidget(self.paid_list)
        layout.addWidget(QLabel("Amount (cash handed over, or paid another way):", self))
        layout.addWidget(self.amount)
        layout.addLayout(self.quick_row)
        layout.addWidget(self.reference)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        no_enter_buttons(self)
        self._refresh()

    def _build_buttons(self) -> QGridLayout:
        """Cash (F9), card (F10), the shop's tenders (Ctrl+1 …), undo (F7) and back (Esc)."""
        cash = QPushButton("Cash  (F9)", self)
        card = QPushButton("Card  (F10)", self)
        undo = QPushButton("Remove last payment  (F7)", self)
        cancel = QPushButton("Back to the sale  (Esc)", self)
        for button, action in ((cash, self.add_cash), (card, self.add_card),
                               (undo, self.remove_last), (cancel, self.reject)):
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(lambda _c=False, a=action: a())
        for key, action in (("F9", self.add_cash), ("F10", self.add_card),
                            ("F7", self.remove_last)):
            QShortcut(QKeySequence(key), self, lambda a=action: a())
        buttons = QGridLayout()
        buttons.addWidget(cash, 0, 0)
        buttons.addWidget(card, 0, 1)
        self.other_buttons = self._add_other_buttons(buttons)
        last = 1 + (len(self.others) + 1) // 2
        buttons.addWidget(undo, last, 0)
        buttons.addWidget(cancel, last, 1)
        return buttons

    def _add_other_buttons(self, grid: QGridLayout) -> dict[str, QPushButton]:
        """One button per shop tender, two a row under Cash / Card, Ctrl+1 … on each."""
        made = {}
        for n, option in enumerate(self.others, start=1):
            button = QPushButton(f"{option.name}  (Ctrl+{n})", self)
            button.setObjectName(f"tender_{option.kind}")
            button.setMinimumHeight(TOUCH)
            button.setAccessibleName(f"Pay by {option.name} (Ctrl+{n})")
            button.clicked.connect(lambda _c=False, o=option: self.add_other(o))
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda o=option: self.add_other(o))
            grid.addWidget(button, 1 + (n - 1) // 2, (n - 1) % 2)
            made[option.kind] = button
        return made

    def fmt(self, amount: int) -> str:
        return money.format_money(amount, self.terms.currency, self.terms.locale)

    def due(self) -> int:
        cash_only = all(t.kind == CASH for t in self.tenders)
        return self.due_cash if cash_only else self.due_exact

    def remaining(self) -> int:
        return self.due() - sum(t.amount for t in self.tenders)

    def _entered(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return None
        return money.parse_money(text, self.terms.currency, field="amount")

    def add_cash(self, amount: int | None = None) -> None:
        try:
            handed = amount if amount is not None else self._entered()
        except DomainError as exc:
            self.problem.setText(exc.user_message)
            return
        if self.remaining() <= 0:
            return
        if handed is None:
            handed = self.remaining()
        if handed <= 0:
            self.problem.setText("Type the cash handed over.")
            return
        self._add(Tender(CASH, handed))

    def add_card(self, amount: int | None = None, reference: str | None = None) -> None:
        try:
            value = amount if amount is not None else self._entered()
        except DomainError as exc:
            self.problem.setText(exc.user_message)
            return
        ref = (reference if reference is not None else self.reference.text()).strip()
        left = self.due_exact - sum(t.amount for t in self.tenders)
        value = left if value is None else value
        if not ref:
            self.problem.setText("Type the reference the card terminal printed.")
            self.reference.setFocus()
            return
        if not 0 < value <= left:
            self.problem.setText(f"A card can pay at most {self.fmt(left)} here.")
            return
        self._add(Tender(CARD, value, reference=ref))

    def add_other(self, option: TenderOption, amount: int | None = None,
                  reference: str | None = None) -> None:
        """A shop-defined tender: pays at most what is left (no change), with a reference
        when the shop asks for one."""
        try:
            value = amount if amount is not None else self._entered()
        except DomainError as exc:
            self.problem.setText(exc.user_message)
            return
        ref = (reference if reference is not None else self.reference.text()).strip()
        left = self.due_exact - sum(t.amount for t in self.tenders)
        value = left if value is None else value
        if option.needs_reference and not ref:
            self.problem.setText(f"Type the reference of the {option.name.lower()}.")
            self.reference.setFocus()
            return
        if not 0 < value <= left:
            self.problem.setText(f"{option.name} can pay at most {self.fmt(left)} here.")
            return
        self._add(Tender(option.kind, value, reference=ref or None))

    def _add(self, tender: Tender) -> None:
        self.tenders.append(tender)
        self.reference.clear()
        self._refresh()
        if self.remaining() <= 0:
            self.paid.emit(tuple(self.tenders))
            self.accept()

    def remove_last(self) -> None:
        if self.tenders:
            self.tenders.pop()
            self._refresh()

    def _refresh(self) -> None:
        self.problem.setText("")
        due = self.due()
        self.total_label.setText(f"To pay: {self.fmt(due)}")
        left = self.remaining()
        self.remaining_label.setText(
            f"Still to pay: {self.fmt(left)}" if left > 0
            else f"Change: {self.fmt(-left)}")
        self.paid_list.clear()
        for t in self.tenders:
            ref = f" · ref {t.reference}" if t.reference else ""
            name = self.names.get(t.kind, t.kind.title())
            self.paid_list.addItem(f"{name}  {self.fmt(t.amount)}{ref}")
        self.amount.clear()
        self.amount.setPlaceholderText(self.fmt(max(left, 0)))
        for button in self.quick_buttons:
            self.quick_row.removeWidget(button)
            button.deleteLater()
        self.quick_buttons = []
        if left > 0:
            for n, value in enumerate(quick_amounts(left, self.terms.currency), start=1):
                button = QPushButton(f"{self.fmt(value)}  (Alt+{n})", self)
                button.setShortcut(QKeySequence(f"Alt+{n}"))
                button.setMinimumHeight(TOUCH)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setAutoDefault(False)
                button.setAccessibleName(f"Cash {self.fmt(value)}")
                button.clicked.connect(lambda _c=False, v=value: self.add_cash(v))
                self.quick_row.addWidget(button)
                self.quick_buttons.append(button)
        self.amount.setFocus()
