"""Finding items: search-as-you-type (on a worker, one search at a time) and category tiles."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sell.pin_pad import TOUCH
from ui.workers import run_in_background
from vendor_console.services.catalog_records import CategoryRecord
from vendor_console.services.counter import CounterServices
from vendor_console.services.counter_lookup import TileItem

RESULTS = 30
TILE_COLUMNS = 2
MAX_TILES = 12
VARIANT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchPanel(QWidget):
    chosen = Signal(str)  # a variant id to add
    code_entered = Signal(str)  # Enter on text with no result to pick (a typed barcode)

    def __init__(self, services: CounterServices, fmt: Callable[[int], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._fmt = fmt
        self._generation = 0
        self.searches_run = 0
        self._in_flight = False  # one search at a time; newer text waits for it
        self._queued = False
        self._enter_pending = False  # Enter pressed before the results for the text came
        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText("Search or scan  (F2)")
        self.box.setAccessibleName("Search products")
        self.box.setMinimumHeight(TOUCH - 8)
        self.box.setClearButtonEnabled(True)
        self.box.textEdited.connect(self._typed)
        self.box.returnPressed.connect(self._enter)
        self.box.installEventFilter(self)
        self.results = QListWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.itemActivated.connect(self._activated)
        self.tiles = QWidget(self)
        self._tile_grid = QGridLayout(self.tiles)
        self._tile_grid.setContentsMargins(0, 0, 0, 0)
        self.tile_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.tiles)

    def load_tiles(self) -> None:
        run_in_background(self._services.catalog.list_categories, on_success=self._show_tiles,
                          owner=self)

    def _show_tiles(self, categories: list[CategoryRecord]) -> None:
        top = [c for c in categories if c.parent_id is None][:MAX_TILES]
        for n, category in enumerate(top):
            button = QPushButton(category.name, self.tiles)
            button.setMinimumHeight(TOUCH)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _c=False, cid=category.id: self.show_category(cid))
            self._tile_grid.addWidget(button, n // TILE_COLUMNS, n % TILE_COLUMNS)
            self.tile_buttons.append(button)

    def show_category(self, category_id: str) -> None:
        self._generation += 1
        generation = self._generation
        run_in_background(lambda: self._services.category_items(category_id),
                          on_success=lambda items: self._show_items(generation, items),
                          owner=self)

    def _show_items(self, generation: int, items: list[TileItem]) -> None:
        if generation != self._generation:
            return  # an older request: the cashier has moved on
        self.results.clear()
        for hit in items:
            entry = QListWidgetItem(f"{hit.name}    {self._fmt(hit.price)}")
            entry.setData(VARIANT_ROLE, hit.variant_id)
            self.results.addItem(entry)
        if items:
            self.results.setCurrentRow(0)

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def clear(self) -> None:
        self._generation += 1
        self._queued = self._enter_pending = False
        self.box.clear()
        self.results.clear()

    def searching(self) -> bool:
        return self._in_flight or self._queued

    def _typed(self, _text: str) -> None:
        """Debounced by the worker: the first key searches at once; keys typed while a search
        runs are coalesced into one search for the newest text when it returns."""
        if self._in_flight:
            self._queued = True
        else:
            self._search()

    def _search(self) -> None:
        self._queued = False
        text = self.box.text().strip()
        self._generation += 1
        generation = self._generation
        if not text:
            self.results.clear()
            return
        self.searches_run += 1
        self._in_flight = True

        def found(hits: list[TileItem]) -> None:
            self._in_flight = False
            self._show_items(generation, hits)
            if self._queued:
                self._search()
            elif self._enter_pending:
                self._enter_pending = False
                self._enter()

        def finished() -> None:  # also after a bug: never stay "searching"
            if self._in_flight and self._generation == generation:
                self._in_flight = self._enter_pending = False

        def search() -> list[TileItem]:
            return [TileItem(h.variant_id, h.name, h.price)
                    for h in self._services.catalog.search(text, RESULTS)]

        run_in_background(search, on_success=found, owner=self, on_done=finished)

    def _enter(self) -> None:
        """Enter adds the highlighted result (an exact barcode or SKU match comes first);
        with no result at all the text is looked up as a code (e.g. a receipt number)."""
        if self.searching():
            self._enter_pending = True  # answered when the results for this text arrive
            return
        text = self.box.text().strip()
        item = self.results.currentItem()
        if item is not None:
            self._activated(item)
        elif text:
            self.code_entered.emit(text)

    def _activated(self, item: QListWidgetItem) -> None:
        variant_id = item.data(VARIANT_ROLE)
        if variant_id:
            self.chosen.emit(str(variant_id))
            self.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down in the search box move through the results without leaving the box."""
        if watched is self.box and isinstance(event, QKeyEvent) and \
                event.type() == QEvent.Type.KeyPress and self.results.count():
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step:
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return False
