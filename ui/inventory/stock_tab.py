"""Stock of one variant: find it, see its movements, adjust with a reason, set its low level."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
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
from vendor_console.services.catalog_records import ProductRecord, VariantDetails
from vendor_console.services.inventory import DECREASES, MovementRecord

REASONS = ("received", "produced", "damaged", "expired", "shrinkage", "correction")


class StockTab(QWidget):
    def __init__(self, ctx: InventoryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product: ProductRecord | None = None
        self.finder = QLineEdit(self)
        self.finder.setPlaceholderText("Find a product by name, SKU or barcode")
        self.hits = RecordsModel([Column("Product", lambda h: h.name),
                                  Column("SKU", lambda h: h.sku or "")], self)
        self.hit_view = QTableView(self)
        self.hit_view.setModel(self.hits)
        self.hit_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.variant = QComboBox(self)
        self.on_hand = QLabel(self)
        self.reason = QComboBox(self)
        for r in REASONS:
            self.reason.addItem(r.capitalize(), r)
        self.quantity = QLineEdit(self)
        self.quantity.setPlaceholderText("e.g. 12 (taken away for damaged, expired…)")
        self.note = QLineEdit(self)
        self.adjust_button = QPushButton("&Record change", self)
        self.threshold = QLineEdit(self)
        self.threshold.setPlaceholderText("empty = no low-stock warning")
        self.threshold_button = QPushButton("Set &low-stock level", self)
        self.history = RecordsModel([
            Column("When", lambda m: f"{m.occurred_at:%Y-%m-%d %H:%M}"),
            Column("Kind", lambda m: "Count" if m.kind == "PHYSICAL_COUNT" else "Change"),
            Column("Reason", lambda m: m.reason),
            Column("Change", lambda m: f"{m.delta / 1000:+g}", right=True),
            Column("Expected", lambda m: "" if m.expected_on_hand is None
                   else f"{m.expected_on_hand / 1000:g}", right=True),
            Column("By", lambda m: m.staff_name or ""),
            Column("Note", lambda m: m.note or ""),
            Column("Synced", lambda m: "yes" if m.acknowledged else "pending"),
        ], self)
        self.history_view = QTableView(self)
        self.history_view.setModel(self.history)

        form = QFormLayout()
        form.addRow("&Variant", self.variant)
        form.addRow("On hand", self.on_hand)
        form.addRow("Rea&son", self.reason)
        form.addRow("&Quantity", self.quantity)
        form.addRow("&Note", self.note)
        form.addRow(self.adjust_button)
        form.addRow("Low-stock level", self.threshold)
        form.addRow(self.threshold_button)
        left = QVBoxLayout()
        left.addWidget(self.finder)
        left.addWidget(self.hit_view, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel("Movements, newest first", self))
        right.addWidget(self.history_view, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)

        self.finder.textChanged.connect(self._search)
        self.hit_view.selectionModel().currentRowChanged.connect(self._hit_chosen)
        self.variant.currentIndexChanged.connect(self._show_variant)
        self.adjust_button.clicked.connect(self.record_change)
        self.threshold_button.clicked.connect(self.set_threshold)
        self.quantity.returnPressed.connect(self.record_change)

    # --- finding ------------------------------------------------------------------------

    def _search(self, text: str) -> None:
        catalog = self.ctx.console.catalog
        self.ctx.read(lambda: catalog.search(text, 50), self._hits_arrived, self)

    def _hits_arrived(self, hits: list[Any]) -> None:
        self.hits.set_records(hits)
        if hits:
            self.hit_view.selectRow(0)

    def _hit_chosen(self, current: Any, _previous: Any = None) -> None:
        if current.isValid():
            self.open_product(self.hits.record(current.row()).product_id)

    def open_product(self, product_id: str, variant_id: str | None = None) -> None:
        catalog = self.ctx.console.catalog
        self.ctx.read(lambda: catalog.get_product(product_id),
                      lambda p: self._product_arrived(p, variant_id), self)

    def _product_arrived(self, product: ProductRecord, variant_id: str | None) -> None:
        self.product = product
        self.variant.blockSignals(True)
        self.variant.clear()
        for v in product.variants:
            self.variant.addItem(v.name or product.name, v.id)
        self.variant.blockSignals(False)
        index = self.variant.findData(variant_id) if variant_id else 0
        self.variant.setCurrentIndex(max(0, index))
        self._show_variant()

    def current(self) -> VariantDetails | None:
        if self.product is None:
            return None
        vid = self.variant.currentData()
        return next((v for v in self.product.variants if v.id == vid), None)

    def _show_variant(self, *_args: Any) -> None:
        v = self.current()
        if v is None:
            return
        self.on_hand.setText(f"{format_quantity(v.on_hand, v.precision)} {v.unit}"
                             if v.track_inventory else "stock not tracked")
        self.threshold.setText("" if v.low_stock_threshold is None
                               else format_quantity(v.low_stock_threshold, v.precision))
        inventory = self.ctx.console.inventory
        self.ctx.read(lambda: inventory.history(v.id), self._history_arrived, self)

    def _history_arrived(self, movements: list[MovementRecord]) -> None:
        self.history.set_records(movements)

    # --- changing -----------------------------------------------------------------------

    def record_change(self) -> None:
        v, actor = self.current(), self.ctx.actor()
        if v is None or actor is None or self.product is None:
            return
        reason = str(self.reason.currentData())
        try:
            amount = parse_quantity(self.quantity.text().lstrip("+-") or "x", v.precision,
                                    v.unit)
        except DomainError as exc:
            self.ctx.message.emit(exc.user_message)
            return
        negative = reason in DECREASES or self.quantity.text().strip().startswith("-")
        delta = -amount if negative else amount
        note = self.note.text()
        inventory, pid = self.ctx.console.inventory, self.product.id
        self.ctx.write(lambda: inventory.adjust(actor, v.id, delta, reason, note=note),
                       f"Stock {reason}", lambda _r: self._after_write(pid, v.id), self)

    def set_threshold(self) -> None:
        v, actor = self.current(), self.ctx.actor()
        if v is None or actor is None or self.product is None:
            return
        text = self.threshold.text().strip()
        try:
            threshold = parse_quantity(text, v.precision, v.unit) if text else None
        except DomainError as exc:
            self.ctx.message.emit(exc.user_message)
            return
        console, pid = self.ctx.console, self.product.id
        self.ctx.write(lambda: console.set_low_stock_threshold(actor, pid, v.id, threshold),
                       "Low-stock level", lambda _r: self._after_write(pid, v.id), self)

    def _after_write(self, product_id: str, variant_id: str) -> None:
        self.quantity.clear()
        self.note.clear()
        self.open_product(product_id, variant_id)
