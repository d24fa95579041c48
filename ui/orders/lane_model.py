"""One lane of the queue (New, Accepted, …) as a list model of plain ``OrderCard`` records;
the accept-by countdown is recomputed on each tick without touching the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from vendor_console.money import format_money
from vendor_console.services.order_queue import OrderCard, countdown_text, seconds_left

Index = QModelIndex | QPersistentModelIndex
CardRole = Qt.ItemDataRole.UserRole + 1


class LaneModel(QAbstractListModel):
    def __init__(self, key: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.key = key
        self.cards: list[OrderCard] = []
        self.skew_ms = 0
        self.now: datetime | None = None  # None = the clock; tests may pin it

    def set_cards(self, cards: list[OrderCard], skew_ms: int) -> None:
        self.skew_ms = skew_ms
        if [c.id for c in cards] == [c.id for c in self.cards]:
            self.cards = cards
            self.tick()
            return
        self.beginResetModel()
        self.cards = cards
        self.endResetModel()

    def tick(self) -> None:
        if self.cards:
            self.dataChanged.emit(self.index(0), self.index(len(self.cards) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cards)

    def row_of(self, order_id: str) -> int:
        return next((i for i, c in enumerate(self.cards) if c.id == order_id), -1)

    def text(self, card: OrderCard) -> str:
        parts = [card.number, card.customer_name or "Customer",
                 format_money(card.total, card.currency, "en") if card.currency else "",
                 card.fulfillment_type.title()]
        left = countdown_text(seconds_left(card, self.skew_ms, self.now))
        if left:
            parts.append(left)
        if card.status != card.server_status and card.server_status is not None:
            parts.append("sending…")
        return "  ·  ".join(p for p in parts if p)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.cards):
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(card)
        if role == CardRole:
            return card
        return None
