"""The sale on screen: a table model over the cart lines, priced by the checkout's own rules.

Totals come from :func:`vendor_console.services.pricing.price_cart` (what
``CheckoutService.quote`` and ``complete_sale`` use), computed here from the variant snapshots
taken when each item was added: no database access in the model, so a scan paints at once.
An edit that the pricing rules refuse (a discount larger than the price…) is undone and its
``DomainError`` raised for the screen to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from vendor_console import money
from vendor_console.quantities import QTY_SCALE, format_quantity
from vendor_console.services.checkout import ShopTerms
from vendor_console.services.pricing import (
    Cart,
    CartLine,
    Discount,
    Totals,
    VariantSnapshot,
    price_cart,
)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


@lru_cache(maxsize=4096)
def _format_money(amount: int, currency: str, locale: str) -> str:
    """Babel formatting costs tens of µs; a cart shows the same few amounts again and again."""
    return money.format_money(amount, currency, locale)
COLUMNS = ("Item", "Qty", "Price", "Discount", "Total")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class CartItem:
    snapshot: VariantSnapshot
    quantity: int  # scaled by QTY_SCALE
    unit_price: int | None = None  # a price override
    discount: Discount | None = None
    note: str | None = None

    def line(self) -> CartLine:
        return CartLine(self.snapshot.id, self.quantity, self.unit_price, self.discount,
                        self.note)


class CartModel(QAbstractTableModel):
    totals_changed = Signal()

    def __init__(self, terms: ShopTerms, parent: Any = None) -> None:
        super().__init__(parent)
        self.terms = terms
        self._items: list[CartItem] = []
        self.sale_discount: Discount | None = None
        self.totals: Totals | None = None
        self._texts: list[tuple[str, ...]] = []  # display text per row, made once per change

    # --- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
                return int(_RIGHT)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            row = index.row()
            texts = self._texts[row] if row < len(self._texts) else None
            return texts[column] if texts else self._text(row, item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(_RIGHT)
        if role == Qt.ItemDataRole.ToolTipRole and item.note:
            return item.note
        if role == ITEM_ROLE:
            return item
        return None

    def _text(self, row: int, item: CartItem, column: int) -> str:
        priced = self.totals.lines[row] if self.totals and row < len(self.totals.lines) else None
        snap = item.snapshot
        if column == 0:
            return f"{snap.name}\n  ✎ {item.note}" if item.note else snap.name
        if column == 1:
            qty = format_quantity(item.quantity, snap.precision)
            return qty if snap.unit == "pc" else f"{qty} {snap.unit}"
        if column == 2:
            price = snap.price if item.unit_price is None else item.unit_price
            mark = " (changed)" if item.unit_price is not None else ""
            return self.money(price) + mark
        if column == 3:
            return f"−{self.money(priced.discount)}" if priced and priced.discount else ""
        return self.money(priced.total) if priced else ""

    # --- the sale -----------------------------------------------------------------------

    def money(self, amount: int) -> str:
        return _format_money(amount, self.terms.currency, self.terms.locale)

    def items(self) -> tuple[CartItem, ...]:
        return tuple(self._items)

    def item(self, row: int) -> CartItem:
        return self._items[row]

    def is_empty(self) -> bool:
        return not self._items

    def cart(self, note: str | None = None) -> Cart:
        return Cart(tuple(i.line() for i in self._items), self.sale_discount, note)

    def add(self, snapshot: VariantSnapshot, quantity: int = QTY_SCALE) -> int:
        """Add an item; a second scan of a plain counted item adds to its line. Returns the row."""
        for row, existing in enumerate(self._items):
            if (existing.snapshot.id == snapshot.id and snapshot.precision == 0
                    and existing.unit_price is None and existing.discount is None
                    and not existing.note):
                self.update(row, quantity=existing.quantity + quantity)
                return row
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(CartItem(snapshot, quantity))
        self.endInsertRows()

        def undo() -> None:
            self.remove(row, reprice=False)

        self._change(lambda: None, undo)
        return row

    def update(self, row: int, **changes: Any) -> CartItem:
        before = self._items[row]
        self._items[row] = replace(before, **changes)

        def undo() -> None:
            self._items[row] = before

        self._change(lambda: None, undo)
        return self._items[row]

    def set_sale_discount(self, discount: Discount | None) -> None:
        before = self.sale_discount
        self.sale_discount = discount

        def undo() -> None:
            self.sale_discount = before

        self._change(lambda: None, undo)

    def remove(self, row: int, *, reprice: bool = True) -> CartItem:
        self.beginRemoveRows(QModelIndex(), row, row)
        item = self._items.pop(row)
        if row < len(self._texts):
            self._texts.pop(row)
        self.endRemoveRows()
        if reprice:
            self._reprice()
        return item

    def load(self, items: list[CartItem], sale_discount: Discount | None) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._texts = []
        self.sale_discount = sale_discount
        self.endResetModel()
        self._reprice()

    def clear(self) -> None:
        self.load([], None)

    def _change(self, apply: Callable[[], None], undo: Callable[[], None]) -> None:
        apply()
        try:
            self._reprice()
        except Exception:
            undo()
            self._reprice()
            raise

    def _reprice(self) -> None:
        if self._items:
            snapshots = {i.snapshot.id: i.snapshot for i in self._items}
            self.totals = price_cart(self.cart(), snapshots,
                                     prices_include_tax=self.terms.prices_include_tax)
        else:
            self.totals = None
        before = self._texts
        self._texts = [tuple(self._text(row, item, c) for c in range(len(COLUMNS)))
                       for row, item in enumerate(self._items)]
        for row, texts in enumerate(self._texts):  # repaint only the rows that changed
            if row < len(before) and before[row] != texts:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.totals_changed.emit()
