"""The product editor: every field of a product and its variants, checked as you type.

The draft is checked with ``clean_product`` (no database) after every change; the first
problem is shown under the field it is about. Saving runs on a worker through the catalog
service (which also checks SKU/barcode uniqueness against the stored catalog). Keyboard:
every field has a mnemonic, Ctrl+S saves, Esc cancels, Ctrl+Shift+N adds a variant, Ctrl+G
generates an in-house barcode for the current variant, F2 edits a variant cell.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.catalog.editor.images_panel import ImagesPanel
from ui.catalog.editor.variants_model import VariantsModel
from ui.workers import run_in_background
from vendor_console.errors import DomainError, ValidationError
from vendor_console.permissions import Actor
from vendor_console.services.catalog_console import CatalogConsole, EditorChoices
from vendor_console.services.catalog_records import ProductRecord
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft, clean_product

SIZE_FIELDS = (("width_mm", "&Width (mm)"), ("height_mm", "&Height (mm)"),
               ("depth_mm", "Dept&h (mm)"), ("weight_g", "Wei&ght (g)"))
PRODUCT_KEYS = ("name", "description", "category_id", "dietary_tags", "visibility",
                "availability", "material", "style", *(k for k, _ in SIZE_FIELDS))


class ProductEditor(QDialog):
    saved = Signal(str)  # the product id
    ready = Signal()  # choices (and the product) loaded

    def __init__(self, console: CatalogConsole, actor: Actor | None,
                 product_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console, self.actor, self.product_id = console, actor, product_id
        self.record: ProductRecord | None = None
        self.setWindowTitle("New product" if product_id is None else "Edit product")
        self.variants = VariantsModel(console.terms.currency, parent=self)
        self.errors: dict[str, QLabel] = {}
        self._build()
        self._connect()
        self.problem: str | None = None
        self.saving = False
        run_in_background(self._load, on_success=self._loaded, owner=self,
                          on_failure=lambda _e, m: self.status.setText(m))

    # --- building -----------------------------------------------------------------------

    def _field(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        error = QLabel(self)
        error.setObjectName("fieldError")
        error.setStyleSheet("color: #b00020")
        error.hide()
        self.errors[key] = error
        box = QVBoxLayout()
        box.setSpacing(0)
        box.addWidget(widget)
        box.addWidget(error)
        title = QLabel(label, self)
        title.setBuddy(widget)
        form.addRow(title, box)

    def _build(self) -> None:
        self.name = QLineEdit(self)
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(60)
        self.category = QComboBox(self)
        self.category.addItem("No category", None)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("vegan, gluten-free")
        self.visibility = QComboBox(self)
        self.visibility.addItem("Visible", "VISIBLE")
        self.visibility.addItem("Hidden", "HIDDEN")
        self.availability = QComboBox(self)
        self.availability.addItem("Available", "AVAILABLE")
        self.availability.addItem("Sold out", "SOLD_OUT")
        self.material = QLineEdit(self)
        self.style_field = QLineEdit(self)
        self.sizes = {key: QLineEdit(self) for key, _ in SIZE_FIELDS}
        self.table = QTableView(self)
        self.table.setModel(self.variants)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.add_variant_button = QPushButton("&Add variant", self)
        self.remove_variant_button = QPushButton("&Remove variant", self)
        self.generate_button = QPushButton("Generate &barcode", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        self._field(form, "name", "&Name", self.name)
        self._field(form, "description", "&Description", self.description)
        self._field(form, "category_id", "&Category", self.category)
        self._field(form, "dietary_tags", "&Tags", self.tags)
        self._field(form, "visibility", "&Visibility", self.visibility)
        self._field(form, "availability", "Availa&bility", self.availability)
        self._field(form, "material", "&Material", self.material)
        self._field(form, "style", "St&yle", self.style_field)
        for key, label in SIZE_FIELDS:
            self._field(form, key, label, self.sizes[key])
        variant_buttons = QHBoxLayout()
        for b in (self.add_variant_button, self.remove_variant_button, self.generate_button):
            variant_buttons.addWidget(b)
        variant_buttons.addStretch(1)
        self.variant_error = QLabel(self)
        self.variant_error.setObjectName("fieldError")
        self.variant_error.setStyleSheet("color: #b00020")
        self.variant_error.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        self.layout_box = QVBoxLayout(self)
        self.layout_box.addLayout(form)
        variants_title = QLabel("Varian&ts", self)
        variants_title.setBuddy(self.table)
        self.layout_box.addWidget(variants_title)
        self.layout_box.addWidget(self.table, 1)
        self.layout_box.addLayout(variant_buttons)
        self.layout_box.addWidget(self.variant_error)
        self.images: ImagesPanel | None = None
        images_title = QLabel("Images", self)
        self.layout_box.addWidget(images_title)
        if self.product_id is None:
            self.layout_box.addWidget(QLabel("Save the product first, then add its images.",
                                             self))
        else:
            self.images = ImagesPanel(self.console.images, self.actor, self.product_id, self)
            images_title.setBuddy(self.images.view)
            self.layout_box.addWidget(self.images)
        self.layout_box.addLayout(buttons)
        self.resize(980, 900)

    def _connect(self) -> None:
        for edit in (self.name, self.tags, self.material, self.style_field,
                     *self.sizes.values()):
            edit.textChanged.connect(self.validate)
        self.description.textChanged.connect(self.validate)
        for combo in (self.category, self.visibility, self.availability):
            combo.currentIndexChanged.connect(self.validate)
        self.variants.changed.connect(self.validate)
        self.add_variant_button.clicked.connect(self.add_variant)
        self.remove_variant_button.clicked.connect(self.remove_variant)
        self.generate_button.clicked.connect(self.generate_barcode)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.add_variant)
        QShortcut(QKeySequence("Ctrl+G"), self, self.generate_barcode)

    # --- loading ------------------------------------------------------------------------

    def _load(self) -> tuple[EditorChoices, ProductRecord | None]:
        choices = self.console.editor_choices()
        product = (self.console.catalog.get_product(self.product_id)
                   if self.product_id is not None else None)
        return choices, product

    def _loaded(self, result: tuple[EditorChoices, ProductRecord | None]) -> None:
        choices, product = result
        for c in choices.categories:
            self.category.addItem(c.name, c.id)
        self.variants.tax_rates = {t.id: t.name for t in choices.tax_rates}
        self.record = product
        if product is None:
            self.variants.set_variants([VariantDraft(price=0)])
        else:
            self.show_draft(product.to_draft())
        self.validate()
        self.name.setFocus()
        self.ready.emit()

    def show_draft(self, draft: ProductDraft) -> None:
        self.name.setText(draft.name)
        self.description.setPlainText(draft.description or "")
        self.category.setCurrentIndex(max(0, self.category.findData(draft.category_id)))
        self.tags.setText(", ".join(draft.dietary_tags))
        self.visibility.setCurrentIndex(self.visibility.findData(draft.visibility))
        self.availability.setCurrentIndex(self.availability.findData(draft.availability))
        self.material.setText(draft.material or "")
        self.style_field.setText(draft.style or "")
        for key, edit in self.sizes.items():
            value = getattr(draft, key)
            edit.setText("" if value is None else str(value))
        self.variants.set_variants(draft.variants)

    # --- the draft and its checks -------------------------------------------------------

    def draft(self) -> ProductDraft:
        """The product as typed; raises a DomainError for a size that is not a number."""
        sizes: dict[str, Any] = {}
        for key, edit in self.sizes.items():
            text = edit.text().strip()
            if text and not text.isdigit():
                raise ValidationError("Type a whole number (or leave it empty).", field=key)
            sizes[key] = int(text) if text else None
        return ProductDraft(
            name=self.name.text(), description=self.description.toPlainText() or None,
            category_id=self.category.currentData(),
            dietary_tags=[t.strip() for t in self.tags.text().split(",") if t.strip()],
            visibility=self.visibility.currentData(),
            availability=self.availability.currentData(),
            material=self.material.text() or None, style=self.style_field.text() or None,
            variants=self.variants.variants(), **sizes,
        )

    def validate(self) -> bool:
        """Show the first problem beside its field; True when the draft can be saved."""
        for label in self.errors.values():
            label.hide()
        self.variant_error.clear()
        self.problem = None
        if self.variants.has_errors():
            self.problem = self.variants.errors()[0]
            self.variant_error.setText(self.problem)
        else:
            try:
                clean_product(self.draft())
            except DomainError as exc:
                self.problem = exc.user_message
                self._show_error(exc.field, exc.user_message)
        self.save_button.setEnabled(self.problem is None and not self.saving)
        return self.problem is None

    def field_error(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    # --- variants -----------------------------------------------------------------------

    def current_variant_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else self.variants.rowCount() - 1

    def add_variant(self) -> None:
        rows = self.variants.variants()
        template = rows[-1] if rows else VariantDraft(price=0)
        row = self.variants.add_variant(replace(template, id=None, name="", sku=None,
                                                barcode=None, options={}))
        self.table.setCurrentIndex(self.variants.index(row, 0))
        self.table.setFocus()

    def remove_variant(self) -> None:
        if self.variants.rowCount() > 1:
            self.variants.remove_variant(self.current_variant_row())

    def generate_barcode(self) -> None:
        row = self.current_variant_row()
        if row < 0:
            return
        codes = self.console.codes
        run_in_background(codes.new_code, owner=self,
                          on_success=lambda code: self._code_arrived(row, code))

    def _code_arrived(self, row: int, code: str) -> None:
        if row < self.variants.rowCount():
            self.variants.replace_variant(row, replace(self.variants.variant(row),
                                                       barcode=code))

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        if self.saving or not self.validate():
            return
        if self.actor is None:
            self.status.setText("Sign in on the Sell page to change the catalog.")
            return
        actor, draft, catalog, pid = self.actor, self.draft(), self.console.catalog, \
            self.product_id
        self.saving = True
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")

        def work() -> ProductRecord:
            if pid is None:
                return catalog.create_product(actor, draft)
            return catalog.update_product(actor, pid, draft)

        run_in_background(work, on_success=self._saved, on_failure=self._refused,
                          on_done=self._done, owner=self)

    def _saved(self, record: ProductRecord) -> None:
        self.product_id = record.id
        self.status.setText("Saved.")
        self.saved.emit(record.id)
        self.accept()

    def _refused(self, exc: BaseException, message: str) -> None:
        self.status.setText(message)
        self._show_error(getattr(exc, "field", None), message)

    def _show_error(self, field: str | None, message: str) -> None:
        shown = self.errors.get(field or "")
        if shown is not None:
            shown.setText(message)
            shown.show()
        else:
            self.variant_error.setText(message)

    def _done(self) -> None:
        self.saving = False
        self.save_button.setEnabled(self.problem is None)

