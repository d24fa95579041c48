"""The Catalog page: find products as you type, filter, edit inline or in bulk, undo.

Everything that touches the database runs on a worker (``ui.workers``): the table's id and
row reads, the writes through the catalog services. Changes committed anywhere reach the table
through a throttled :class:`~ui.changes.ChangeFeed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.catalog.bulk_dialog import BulkEditDialog
from ui.catalog.proxy import CatalogProxy
from ui.catalog.table_model import CatalogTableModel
from ui.catalog.transfer_buttons import TransferButtons
from ui.catalog.undo import WrittenCommand, patch_command
from ui.changes import ChangeFeed
from ui.workers import run_in_background
from vendor_console.permissions import Actor
from vendor_console.services.catalog_bulk import BulkEdit, BulkResult, CatalogBulkService, Patch
from vendor_console.services.catalog_console import CatalogConsole
from vendor_console.services.catalog_records import CategoryRecord
from vendor_console.services.catalog_table import CatalogFilter, CatalogRow
from vendor_console.services.counter import CoreLike

ANY = "Any"


class CatalogPage(QWidget):
    message = Signal(str)  # what the user should know (an edit refused, an undo done)
    written = Signal()  # a write finished (for tests and the bench)
    edit_product = Signal(str)  # a product id to open in the editor (or "" for a new one)

    def __init__(self, core: CoreLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.console = console = CatalogConsole(core.db)
        terms = console.terms
        self.reads = console.reads
        self.catalog = console.catalog
        self.bulk: CatalogBulkService = console.bulk
        self.model = CatalogTableModel(self.reads, terms.currency, terms.locale, self)
        self.proxy = CatalogProxy(self.model, self)
        self.undo_stack = QUndoStack(self)
        self.categories: list[CategoryRecord] = []
        self.writes_pending = 0
        self._build_widgets()
        self._build_layout()
        self._connect()
        self.feed = ChangeFeed(console.subscribe, ("product", "stock", "category"),
                               parent=self)
        self.feed.changed.connect(self._db_changed)
        self.model.auto_rest = False  # after the first paint (``eventFilter``)
        self._first_paint_done = False
        self._warm_wanted = True  # the one-character search postings, once the order is in
        self.table.viewport().installEventFilter(self)
        self.model.set_filter(CatalogFilter())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """After the first paint with rows: the rest of the order, then the filter choices
        (a scan), so that neither competes with the first paint."""
        if (not self._first_paint_done and event.type() == QEvent.Type.Paint
                and self.model.rowCount() > 0):
            self._first_paint_done = True
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        self.model.load_rest()
        catalog, reads = self.catalog, self.reads
        run_in_background(lambda: (catalog.list_categories(), reads.tags()),
                          on_success=self._choices_arrived, owner=self)

    def _build_widgets(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search name, SKU, barcode, tag…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.category = _combo(self, [(ANY, None)])
        self.tag = _combo(self, [(ANY, None)])
        self.visibility = _combo(self, [(ANY, None), ("Visible", "VISIBLE"),
                                        ("Hidden", "HIDDEN")])
        self.availability = _combo(self, [(ANY, None), ("Available", "AVAILABLE"),
                                          ("Sold out", "SOLD_OUT")])
        self.low_stock = QCheckBox("&Low stock", self)
        self.count_label = QLabel(self)
        self.info = QLabel(self)
        self.info.setObjectName("catalogMessage")
        self.info.setWordWrap(True)

        self.new_button = QPushButton("&New product", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.bulk_button = QPushButton("&Bulk edit…", self)
        self.undo_button = QPushButton("&Undo", self)
        self.redo_button = QPushButton("Re&do", self)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.transfer = TransferButtons(self.core, self)  # Import… / Export…

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setSortingEnabled(False)  # the header click sorts through the proxy
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._header_clicked)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().hide()

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for label, widget in (("Category", self.category), ("Tag", self.tag),
                              ("Visibility", self.visibility),
                              ("Availability", self.availability)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget, 1)
        filters.addWidget(self.low_stock)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.bulk_button, self.undo_button,
                       self.redo_button):
            actions.addWidget(button)
        for button in self.transfer.buttons():
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._filters_changed)
        for combo in (self.category, self.tag, self.visibility, self.availability):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.low_stock.toggled.connect(self._filters_changed)
        self.model.loaded.connect(self._loaded)
        self.model.edit_refused.connect(self._say)
        self.model.price_edited.connect(self._price_edited)
        self.model.stock_edited.connect(self._stock_edited)
        self.bulk_button.clicked.connect(self.open_bulk_edit)
        self.edit_button.clicked.connect(self._edit_current)
        self.new_button.clicked.connect(lambda: self.edit_product.emit(""))
        self.table.doubleClicked.connect(self._double_clicked)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.message.connect(self.info.setText)
        self.transfer.message.connect(self._say)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    # --- filters --------------------------------------------------------------------------

    def current_filter(self) -> CatalogFilter:
        return replace(
            self.model.filter, text=self.search.text(),
            category_id=self.category.currentData(), dietary_tag=self.tag.currentData(),
            visibility=self.visibility.currentData(),
            availability=self.availability.currentData(), low_stock=self.low_stock.isChecked(),
        )

    def _filters_changed(self, *_args: Any) -> None:
        self.proxy.set_filter(self.current_filter())

    def _header_clicked(self, section: int) -> None:
        header = self.table.horizontalHeader()
        self.proxy.sort(section, header.sortIndicatorOrder())

    def _loaded(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(f"{n:,} product{'s' if n != 1 else ''}")
        if self._warm_wanted and self.model.loaded_rows() == n:
            self._warm_wanted = False  # the whole order is cached: build on top of it
            run_in_background(self.reads.warm_prefixes, owner=self)

    def _choices_arrived(self, result: tuple[list[CategoryRecord], list[str]]) -> None:
        self.categories, tags = result
        for c in self.categories:
            self.category.addItem(c.name, c.id)
        for t in tags:
            self.tag.addItem(t, t)

    def _db_changed(self, changes: dict[str, frozenset[str]]) -> None:
        self.reads.invalidate()
        self._warm_wanted = True
        if "category" in changes:
            run_in_background(self.catalog.list_categories, owner=self,
                              on_success=self._categories_reloaded)
        if "stock" in changes:
            self.model.refresh(None)
        elif "product" in changes:
            self.model.refresh(changes["product"] or None)

    def _categories_reloaded(self, categories: list[CategoryRecord]) -> None:
        self.categories = categories

    # --- selection ------------------------------------------------------------------------

    def selected_rowids(self) -> list[int]:
        rows = sorted({self.proxy.source_row(i.row())
                       for i in self.table.selectionModel().selectedRows()})
        return [self.model.rowid(r) for r in rows if r < self.model.loaded_rows()]

    def selected_product_ids(self) -> list[str]:
        """The ids of the selected rows that are loaded (what the user sees)."""
        rows = sorted({self.proxy.source_row(i.row())
                       for i in self.table.selectionModel().selectedRows()})
        return [pid for r in rows if (pid := self.model.product_id(r)) is not None]

    def select_rows(self, rows: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clear()
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        for r in rows:
            selection.select(self.proxy.index(r, 0), flags)

    def _edit_current(self) -> None:
        ids = self.selected_product_ids()
        if ids:
            self.edit_product.emit(ids[0])

    def _double_clicked(self, index: Any) -> None:
        if not (self.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable):
            pid = self.model.product_id(self.proxy.source_row(index.row()))
            if pid is not None:
                self.edit_product.emit(pid)

    # --- writes ---------------------------------------------------------------------------

    def _actor(self) -> Actor | None:
        actor = self.core.signed_in
        if actor is None:
            self._say("Sign in on the Sell page to change the catalog.")
        return actor

    def _say(self, text: str) -> None:
        self.message.emit(text)

    def run_write(self, work: Callable[[], object], what: str,
                  then: Callable[[Any], None] | None = None) -> None:
        """Run a write on a worker; say what went wrong, refresh what it touched."""
        self.writes_pending += 1

        def done() -> None:
            self.writes_pending -= 1
            self.written.emit()

        def failed(_exc: BaseException, message: str) -> None:
            self._say(message)
            self.model.refresh(None)  # put back what an optimistic edit showed

        def succeeded(result: Any) -> None:
            self._say(f"{what}: done.")
            if then is not None:
                then(result)

        run_in_background(work, on_success=succeeded, on_failure=failed, on_done=done,
                          owner=self)

    def _apply_patches(self, actor: Actor) -> Callable[[list[Patch]], object]:
        return lambda patches: self.bulk.apply_patches(actor, patches)

    def _push_patches(self, text: str, actor: Actor) -> Callable[[Any], None]:
        def push(result: BulkResult) -> None:
            if result.changed:
                self.undo_stack.push(patch_command(text, self.run_write,
                                                   self._apply_patches(actor),
                                                   result.done, result.undo))
        return push

    def _price_edited(self, row: CatalogRow, _old: int, new: int) -> None:
        actor = self._actor()
        if actor is None:
            self.model.refresh(frozenset({row.product_id}))
            return
        self.run_write(lambda: self.bulk.set_price(actor, row.product_id, row.variant_id, new),
                       f"Price of {row.name}", self._push_patches(f"Price of {row.name}", actor))

    def _stock_edited(self, row: CatalogRow, old: int, new: int) -> None:
        actor = self._actor()
        if actor is None:
            self.model.refresh(frozenset({row.product_id}))
            return
        console = self.console

        def push(_result: object) -> None:
            self.undo_stack.push(WrittenCommand(
                f"Stock of {row.name}", self.run_write,
                lambda: console.set_stock_total(actor, row.variant_id, new),
                lambda: console.set_stock_total(actor, row.variant_id, old)))

        self.run_write(lambda: console.set_stock_total(actor, row.variant_id, new),
                       f"Stock of {row.name}", push)

    def open_bulk_edit(self) -> BulkEditDialog | None:
        rowids = self.selected_rowids()
        if not rowids:
            self._say("Select the products to change first.")
            return None
        dialog = BulkEditDialog(len(rowids), self.categories, self.model.currency, self)
        dialog.accepted.connect(lambda: self._bulk_accepted(rowids, dialog))
        dialog.open()
        return dialog

    def _bulk_accepted(self, rowids: list[int], dialog: BulkEditDialog) -> None:
        if dialog.result_edit is not None:
            self.apply_bulk_edit(rowids, dialog.result_edit)

    def apply_bulk_edit(self, rowids: list[int], edit: BulkEdit) -> None:
        """Change the products on these rows (rowids: rows need not be loaded)."""
        actor = self._actor()
        if actor is None:
            return
        text = f"Change of {len(rowids)} products"
        reads, bulk = self.reads, self.bulk
        self.run_write(lambda: bulk.apply(actor, reads.product_ids(rowids), edit), text,
                       self._push_patches(text, actor))


def _combo(parent: QWidget, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox(parent)
    for text, value in items:
        combo.addItem(text, value)
    return combo
