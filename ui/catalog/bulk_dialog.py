"""The bulk edit dialog: what to change on every selected product."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from vendor_console import money
from vendor_console.errors import InvalidPrice
from vendor_console.services.catalog_bulk import BulkEdit, keep_category
from vendor_console.services.catalog_records import CategoryRecord

LEAVE = "Leave as it is"


class BulkEditDialog(QDialog):
    def __init__(self, count: int, categories: list[CategoryRecord], currency: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Change {count} products")
        self.currency = currency
        self.price_mode = QComboBox(self)
        self.price_mode.addItems([LEAVE, "Change by percent", "Change by amount"])
        self.price_value = QLineEdit(self)
        self.price_value.setPlaceholderText("e.g. 10 or -5")
        self.category = QComboBox(self)
        self.category.addItem(LEAVE, keep_category())
        self.category.addItem("No category", None)
        for c in categories:
            self.category.addItem(c.name, c.id)
        self.visibility = QComboBox(self)
        for text, value in ((LEAVE, None), ("Visible", "VISIBLE"), ("Hidden", "HIDDEN")):
            self.visibility.addItem(text, value)
        self.availability = QComboBox(self)
        for text, value in ((LEAVE, None), ("Available", "AVAILABLE"), ("Sold out", "SOLD_OUT")):
            self.availability.addItem(text, value)
        self.add_tags = QLineEdit(self)
        self.add_tags.setPlaceholderText("vegan, gluten-free")
        self.remove_tags = QLineEdit(self)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Price", self.price_mode)
        form.addRow("By", self.price_value)
        form.addRow("&Category", self.category)
        form.addRow("&Visibility", self.visibility)
        form.addRow("&Availability", self.availability)
        form.addRow("Add &tags", self.add_tags)
        form.addRow("&Remove tags", self.remove_tags)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self.result_edit: BulkEdit | None = None

    def edit(self) -> BulkEdit:
        """The edit as typed; raises ``InvalidPrice`` for a price change that is not a number."""
        percent: Decimal | None = None
        amount: int | None = None
        text = self.price_value.text().strip()
        mode = self.price_mode.currentIndex()
        if mode and not text:
            raise InvalidPrice("Type how much to change the prices by.", field="price")
        if mode == 1:
            try:
                percent = Decimal(text.removesuffix("%").strip().replace(",", "."))
            except InvalidOperation:
                raise InvalidPrice(f"“{text}” is not a percentage.", field="price") from None
        elif mode == 2:
            negative = text.startswith("-")
            amount = money.parse_money(text.lstrip("+-"), self.currency)
            amount = -amount if negative else amount

        def tags(edit: QLineEdit) -> tuple[str, ...]:
            return tuple(t.strip() for t in edit.text().split(",") if t.strip())

        return BulkEdit(price_percent=percent, price_amount=amount,
                        category_id=self.category.currentData(),
                        visibility=self.visibility.currentData(),
                        availability=self.availability.currentData(),
                        add_tags=tags(self.add_tags), remove_tags=tags(self.remove_tags))

    def _check(self) -> None:
        try:
            self.result_edit = self.edit()
        except InvalidPrice as exc:
            self.error.setText(exc.user_message)
            return
        self.accept()
