"""Running totals, always visible: subtotal, discounts, taxes per rate, the total."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ui.sell.cart_model import CartModel
from vendor_console.quantities import QTY_SCALE, format_quantity


class TotalsPanel(QWidget):
    def __init__(self, model: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self._model = model
        self.items = QLabel(self)
        self.subtotal = QLabel(self)
        self.discount = QLabel(self)
        self.taxes = QLabel(self)
        self.taxes.setWordWrap(True)
        self.total = QLabel(self)
        self.total.setObjectName("bigTotal")
        self.total.setAccessibleName("Total")
        form = QFormLayout(self)
        form.addRow("Items", self.items)
        form.addRow("Subtotal", self.subtotal)
        form.addRow("Discounts", self.discount)
        form.addRow("Tax", self.taxes)
        form.addRow("TOTAL", self.total)
        model.totals_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        model, totals = self._model, self._model.totals
        fmt = model.money
        count = sum(i.quantity if i.snapshot.precision == 0 else QTY_SCALE for i in model.items())
        self.items.setText(format_quantity(count, 0))
        if totals is None:
            for label in (self.subtotal, self.discount, self.taxes):
                label.setText("—")
            self.total.setText(fmt(0))
            return
        self.subtotal.setText(fmt(totals.subtotal))
        self.discount.setText(f"−{fmt(totals.discount_total)}" if totals.discount_total else "—")
        mode = "included" if model.terms.prices_include_tax else "added"
        self.taxes.setText("\n".join(
            f"{rate / 100:g} % {mode}: {fmt(tax)}" for rate, (_net, tax)
            in sorted(totals.taxes.items()) if tax) or "—")
        self.total.setText(fmt(totals.total))
