"""The selected order in full: customer and note, dietary tags, fulfillment, the lines, the
accept-by countdown and, when the marketplace refused an action, its explanation."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from vendor_console.money import format_money
from vendor_console.services.order_queue import OrderCard, countdown_text, seconds_left


def _when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%H:%M")


class OrderDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderDetail")
        self.heading = QLabel("Choose an order", self)
        self.heading.setObjectName("pageHeading")
        self.countdown = QLabel(self)
        self.countdown.setObjectName("orderCountdown")
        self.explanation = QLabel(self)
        self.explanation.setObjectName("orderExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.hide()
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (("customer", "Customer"), ("note", "Customer note"),
                           ("dietary", "Dietary"), ("fulfillment", "Fulfillment"),
                           ("ready", "Ready by"), ("lines", "Items"), ("total", "Total")):
            value = QLabel(self)
            value.setObjectName(f"orderField_{key}")
            value.setWordWrap(True)
            self.fields[key] = value
            form.addRow(label, value)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.countdown)
        column.addWidget(self.explanation)
        column.addLayout(form)
        column.addStretch(1)
        self.card: OrderCard | None = None

    def show_card(self, card: OrderCard | None, explanation: str | None, skew_ms: int) -> None:
        self.card = card
        if card is None:
            self.heading.setText("Choose an order")
            for value in self.fields.values():
                value.clear()
            self.countdown.clear()
            self.explanation.hide()
            return
        status = card.status.replace("_", " ").title()
        self.heading.setText(f"Order {card.number} — {status}")
        self.fields["customer"].setText(card.customer_name or "–")
        self.fields["note"].setText(card.customer_note or "–")
        self.fields["dietary"].setText(", ".join(card.dietary_tags) or "–")
        how = card.fulfillment_type.title()
        if card.pickup_code and card.fulfillment_type == "PICKUP":
            how += " (the customer shows a pickup code)"
        if card.delivery_address:
            how += f" — {card.delivery_address}"
        self.fields["fulfillment"].setText(how)
        self.fields["ready"].setText(_when(card.estimated_ready_at) or "–")
        self.fields["lines"].setText("\n".join(
            f"{line.quantity} × {line.name}" + (f" — {line.note}" if line.note else "")
            for line in card.lines) or "–")
        self.fields["total"].setText(format_money(card.total, card.currency, "en")
                                     if card.currency else "–")
        self.explanation.setText(explanation or "")
        self.explanation.setVisible(bool(explanation))
        self.tick(skew_ms)

    def tick(self, skew_ms: int) -> None:
        card = self.card
        self.countdown.setText("" if card is None else
                               countdown_text(seconds_left(card, skew_ms)))
