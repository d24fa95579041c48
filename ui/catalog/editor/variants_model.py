"""The editor's variants as an editable table: every field of every variant, checked per cell.

A cell that cannot be read (an amount that is not money, a GTIN with a wrong check digit, a
quantity with too many decimals for the unit) keeps the text the user typed, shows why in its
tooltip and in red, and the variant keeps its last good value; ``has_errors`` blocks saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ui.list_table_model import ListTableModel
from vendor_console import money
from vendor_console.barcodes import normalize_barcode
from vendor_console.errors import DomainError, ValidationError
from vendor_console.quantities import format_quantity, parse_quantity
from vendor_console.services.catalog_validation import INVENTORY_POLICIES, UNITS, VariantDraft

_Index = QModelIndex | QPersistentModelIndex
ERROR_BRUSH = QBrush(QColor("#f8d7da"))


@dataclass(frozen=True, slots=True)
class VColumn:
    key: str
    title: str
    show: Callable[[VariantDraft, str], str]  # (variant, currency) -> text
    read: Callable[[VariantDraft, str, str], VariantDraft]  # (variant, text, currency) -> new
    check: bool = False  # a check box (bools)


def _money_text(value: int | None, currency: str) -> str:
    return "" if value is None else str(money.to_decimal(value, currency))


def _money_or_none(text: str, currency: str, field: str) -> int | None:
    return money.parse_money(text, currency, field=field) if text.strip() else None


def _options_text(options: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in options.items())


def _options(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValidationError("Write options as Name=Value; Name=Value (e.g. Size=Large).",
                                  field="options")
        result[key.strip()] = value.strip()
    return result


def _choice(text: str, allowed: tuple[str, ...], what: str) -> str:
    value = text.strip()
    for a in allowed:
        if a.lower() == value.lower():
            return a
    raise ValidationError(f"{what} must be one of {', '.join(allowed)}.", field=what.lower())


def _precision(v: VariantDraft, text: str) -> VariantDraft:
    if text.strip() not in {"0", "1", "2", "3"}:
        raise ValidationError("Decimals must be 0, 1, 2 or 3.", field="precision")
    return replace(v, precision=int(text))


def _threshold(v: VariantDraft, text: str) -> VariantDraft:
    value = parse_quantity(text, v.precision, v.unit) if text.strip() else None
    return replace(v, low_stock_threshold=value)


COLUMNS: tuple[VColumn, ...] = (
    VColumn("name", "Variant", lambda v, _c: v.name, lambda v, t, _c: replace(v, name=t)),
    VColumn("options", "Options", lambda v, _c: _options_text(v.options),
            lambda v, t, _c: replace(v, options=_options(t))),
    VColumn("sku", "SKU", lambda v, _c: v.sku or "",
            lambda v, t, _c: replace(v, sku=t.strip() or None)),
    VColumn("barcode", "Barcode", lambda v, _c: v.barcode or "",
            lambda v, t, _c: replace(v, barcode=normalize_barcode(t) if t.strip() else None)),
    VColumn("price", "Price", lambda v, c: _money_text(v.price, c),
            lambda v, t, c: replace(v, price=money.parse_money(t, c))),
    VColumn("compare_at_price", "Compare-at", lambda v, c: _money_text(v.compare_at_price, c),
            lambda v, t, c: replace(v, compare_at_price=_money_or_none(t, c,
                                                                       "compare_at_price"))),
    VColumn("cost", "Cost", lambda v, c: _money_text(v.cost, c),
            lambda v, t, c: replace(v, cost=_money_or_none(t, c, "cost"))),
    VColumn("unit", "Unit", lambda v, _c: v.unit,
            lambda v, t, _c: replace(v, unit=_choice(t, UNITS, "Unit"))),
    VColumn("precision", "Decimals", lambda v, _c: str(v.precision),
            lambda v, t, _c: _precision(v, t)),
    VColumn("track_inventory", "Track stock", lambda v, _c: "", lambda v, _t, _c: v,
            check=True),
    VColumn("inventory_policy", "When out", lambda v, _c: v.inventory_policy,
            lambda v, t, _c: replace(v, inventory_policy=_choice(t, INVENTORY_POLICIES,
                                                                 "When out"))),
    VColumn("low_stock_threshold", "Low-stock level",
            lambda v, _c: "" if v.low_stock_threshold is None
            else format_quantity(v.low_stock_threshold, v.precision),
            lambda v, t, _c: _threshold(v, t)),
)
TAX = 7  # the tax rate column, inserted after "Cost": its choices come from the shop


class VariantsModel(ListTableModel):
    changed = Signal()

    def __init__(self, currency: str, tax_rates: dict[str, str] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.tax_rates = dict(tax_rates or {})  # id -> name
        self.columns = (*COLUMNS[:TAX], VColumn(
            "tax_rate_id", "Tax", lambda v, _c: self.tax_rates.get(v.tax_rate_id or "", ""),
            lambda v, t, _c: replace(v, tax_rate_id=self._tax(t))), *COLUMNS[TAX:])
        self._rows: list[VariantDraft] = []
        self._errors: dict[tuple[int, int], tuple[str, str]] = {}  # cell -> (typed, message)

    def set_variants(self, variants: list[VariantDraft]) -> None:
        self.beginResetModel()
        self._rows = list(variants)
        self._errors.clear()
        self.endResetModel()

    def variants(self) -> list[VariantDraft]:
        return list(self._rows)

    def variant(self, row: int) -> VariantDraft:
        return self._rows[row]

    def replace_variant(self, row: int, variant: VariantDraft) -> None:
        self._rows[row] = variant
        for column in range(len(self.columns)):
            self._errors.pop((row, column), None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.changed.emit()

    def add_variant(self, variant: VariantDraft) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(variant)
        self.endInsertRows()
        self.changed.emit()
        return row

    def remove_variant(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._errors = {(r - (r > row), c): e for (r, c), e in self._errors.items() if r != row}
        self.endRemoveRows()
        self.changed.emit()

    def _tax(self, text: str) -> str | None:
        if not text.strip():
            return None
        for rate_id, name in self.tax_rates.items():
            if name.casefold() == text.strip().casefold():
                return rate_id
        raise ValidationError("Choose a tax rate: " + ", ".join(self.tax_rates.values()) + ".",
                              field="tax_rate_id")

    def errors(self) -> list[str]:
        return [message for _cell, (_typed, message) in sorted(self._errors.items())]

    def has_errors(self) -> bool:
        return bool(self._errors)

    def row_count(self) -> int:
        return len(self._rows)

    def titles(self) -> list[str]:
        return [c.title for c in self.columns]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if self.columns[index.column()].check:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column, v = self.columns[index.column()], self._rows[index.row()]
        error = self._errors.get((index.row(), index.column()))
        value: Any = None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) and not column.check:
            value = error[0] if error else column.show(v, self.currency)
        elif role == Qt.ItemDataRole.CheckStateRole and column.check:
            value = Qt.CheckState.Checked if v.track_inventory else Qt.CheckState.Unchecked
        elif role == Qt.ItemDataRole.ToolTipRole and error:
            value = error[1]
        elif role == Qt.ItemDataRole.BackgroundRole and error:
            value = ERROR_BRUSH
        return value

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row, column = index.row(), self.columns[index.column()]
        if column.check and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.replace_variant(row, replace(self._rows[row], track_inventory=checked))
            return True
        if role != Qt.ItemDataRole.EditRole or column.check:
            return False
        text = str(value)
        try:
            new = column.read(self._rows[row], text, self.currency)
        except DomainError as exc:
            self._errors[(row, index.column())] = (text, exc.user_message)
            self.dataChanged.emit(index, index)
            self.changed.emit()
            return True
        self._errors.pop((row, index.column()), None)
        self._rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.changed.emit()
        return True
