"""The catalog as a table that stays smooth at 100k products: ids in order, rows on demand.

The model holds only the ordered product ids of the current filter. Rows are fetched a page at
a time on a worker the first time a view asks for one (``data`` of an uncached row shows "…"
and requests its page), and kept in a cache keyed by product id. A new filter or sort is one
id query on a worker (with the first page in the same read); a newer request replaces an older
one still waiting, and a stale answer is dropped. No SQL runs on the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ui.workers import run_in_background
from vendor_console import money
from vendor_console.errors import DomainError
from vendor_console.quantities import format_quantity, parse_quantity
from vendor_console.services.catalog_table import CatalogFilter, CatalogRow, Page

PAGE = 64
COLUMNS = ("Name", "SKU", "Category", "Price", "Stock", "Visibility", "Availability", "Tags")
SORT_KEYS = ("name", None, "category", "price", "stock", None, None, None)
PRICE, STOCK = 3, 4
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


class RowSource(Protocol):
    def first_page(self, f: CatalogFilter, size: int, *, quick: bool = False) -> Page: ...
    def rows(self, rowids: list[int]) -> list[CatalogRow]: ...


@lru_cache(maxsize=8192)
def _money(amount: int, currency: str, locale: str) -> str:
    return money.format_money(amount, currency, locale)


class CatalogTableModel(QAbstractTableModel):
    loaded = Signal()  # a filter's ids arrived and the model was reset
    rows_arrived = Signal()  # a page of rows arrived
    price_edited = Signal(object, object, int)  # row, old price, new price (minor units)
    stock_edited = Signal(object, int, int)  # row, old total, new total (scaled)
    edit_refused = Signal(str)

    def __init__(self, source: RowSource, currency: str, locale: str,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._source = source
        self.currency, self.locale = currency, locale
        self.filter = CatalogFilter()
        self._ids: list[int] = []  # product rowids, in display order (maybe only the first)
        self._total = 0  # rows; more than len(_ids) until the whole order has arrived
        self._opened = False
        self._rest_waiting = False  # the first page is shown; the whole order not asked yet
        # True: ask for the whole order at once; a view's owner may instead call
        # ``load_rest`` after the first paint, so that paint does not share the CPU with it.
        self.auto_rest = True
        self._cache: dict[int, CatalogRow] = {}
        self._pages_wanted: set[int] = set()
        self._generation = 0
        self._busy = False
        self._queued: CatalogFilter | None = None
        self._soft: frozenset[str] | None = None  # a refresh: keep the view if ids are equal
        self._soft_all = False

    # --- loading --------------------------------------------------------------------------

    def set_filter(self, f: CatalogFilter) -> None:
        """Show the products matching ``f`` (asynchronously; ``loaded`` says when)."""
        self.filter = f
        if self._busy:
            self._queued = f  # only the newest waiting filter runs next
            return
        self._start(f)

    def reload(self) -> None:
        self.set_filter(self.filter)

    def _start(self, f: CatalogFilter) -> None:
        self._busy = True
        self._generation += 1
        generation = self._generation
        quick = not self._opened  # the first open: the first page before the whole order
        self._opened = True
        run_in_background(lambda: self._source.first_page(f, PAGE, quick=quick),
                          on_success=lambda result: self._ids_arrived(generation, result),
                          on_failure=lambda _e, m: self.edit_refused.emit(m),
                          on_done=self._next, owner=self)

    def _next(self) -> None:
        self._busy = False
        queued, self._queued = self._queued, None
        if queued is not None:
            self._start(queued)

    def _ids_arrived(self, generation: int, page: Page) -> None:
        if generation != self._generation or self._queued is not None:
            return  # a newer filter is on its way
        ids, first = page.rowids, page.rows
        if not page.complete:
            if self.auto_rest:
                self._queued = self.filter  # the rest of the order, next
            else:
                self._rest_waiting = True
        soft, soft_all = self._soft, self._soft_all
        self._soft, self._soft_all = None, False
        growing = len(self._ids) < self._total and ids[:len(self._ids)] == self._ids
        if page.total == self._total and (growing or (
                (soft is not None or soft_all) and ids == self._ids)):
            self._ids = ids
            self._refresh_rows(None if soft_all else (soft or frozenset()), first)
            return
        self.beginResetModel()
        self._ids = ids
        self._total = page.total
        self._pages_wanted.clear()
        for row in first:
            self._cache[row.rowid] = row
        if len(self._cache) > 20 * PAGE:
            keep = set(ids[:PAGE])
            self._cache = {k: v for k, v in self._cache.items() if k in keep}
        self.endResetModel()
        self.loaded.emit()

    def _want(self, row: int) -> None:
        page = row // PAGE
        if page in self._pages_wanted:
            return
        self._pages_wanted.add(page)
        generation = self._generation
        ids = self._ids[page * PAGE:(page + 1) * PAGE]
        run_in_background(lambda: self._source.rows(ids),
                          on_success=lambda rows: self._rows_arrived(generation, page, rows),
                          owner=self)

    def _rows_arrived(self, generation: int, page: int, rows: list[CatalogRow]) -> None:
        for r in rows:
            self._cache[r.rowid] = r
        if generation != self._generation:
            return
        first, last = page * PAGE, min(self._total, (page + 1) * PAGE) - 1
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.rows_arrived.emit()

    def load_rest(self) -> None:
        """Ask for the whole order after a quick first page (see ``auto_rest``)."""
        if self._rest_waiting:
            self._rest_waiting = False
            self.set_filter(self.filter)

    def refresh(self, product_ids: frozenset[str] | None) -> None:
        """Products changed in the database (``None`` = any, e.g. stock): ask for the ids
        again; if the list is the same, only the rows are fetched again (the view keeps its
        place), otherwise the model is reset."""
        if product_ids is None:
            self._soft_all = True
        else:
            self._soft = (self._soft or frozenset()) | product_ids
        self.set_filter(self.filter)

    def _refresh_rows(self, product_ids: frozenset[str] | None,
                      first: list[CatalogRow]) -> None:
        if product_ids is None:
            self._cache.clear()
        else:
            for rowid in [k for k, r in self._cache.items() if r.product_id in product_ids]:
                del self._cache[rowid]
        for row in first:
            self._cache[row.rowid] = row
        self._pages_wanted.clear()
        if self._total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._total - 1, len(COLUMNS) - 1))
        self.loaded.emit()

    # --- reading --------------------------------------------------------------------------

    def rowid(self, row: int) -> int:
        return self._ids[row]

    def loaded_rows(self) -> int:
        """Rows whose place is known (all of them once the whole order has arrived)."""
        return len(self._ids)

    def product_id(self, row: int) -> str | None:
        """The product id of a row already loaded (None while it is being fetched)."""
        record = self.row_record(row)
        return record.product_id if record is not None else None

    def row_record(self, row: int) -> CatalogRow | None:
        return self._cache.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def cached_rows(self) -> int:
        return len(self._cache)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (PRICE, STOCK):
            return int(_RIGHT)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.row_record(index.row()) if index.isValid() else None
        if record is None:
            if role == Qt.ItemDataRole.DisplayRole and index.isValid() and (
                index.row() < self._total
            ):
                if index.row() < len(self._ids):
                    self._want(index.row())
                return "…"
            return None
        column = index.column()
        value: Any = None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = self._text(record, column, role == Qt.ItemDataRole.EditRole)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column in (PRICE, STOCK):
            value = int(_RIGHT)
        elif role == ROW_ROLE:
            value = record
        elif role == Qt.ItemDataRole.ToolTipRole and column == STOCK and record.low_stock:
            value = "At or below its low-stock level"
        return value

    def _text(self, r: CatalogRow, column: int, editing: bool) -> str:
        if column == PRICE:
            return self._price_text(r, editing)
        if column == STOCK:
            return self._stock_text(r, editing)
        texts = {
            0: lambda: r.name if r.variant_count == 1 else f"{r.name} ({r.variant_count} variants)",
            1: lambda: r.sku or "",
            2: lambda: r.category or "",
            5: lambda: "Visible" if r.visibility == "VISIBLE" else "Hidden",
            6: lambda: "Available" if r.availability == "AVAILABLE" else "Sold out",
            7: lambda: ", ".join(r.dietary_tags),
        }
        return texts[column]() if column in texts else ""

    def _price_text(self, r: CatalogRow, editing: bool) -> str:
        if editing:
            return str(money.to_decimal(r.price_min, self.currency))
        low = _money(r.price_min, self.currency, self.locale)
        if r.price_max == r.price_min:
            return low
        return f"{low} – {_money(r.price_max, self.currency, self.locale)}"

    @staticmethod
    def _stock_text(r: CatalogRow, editing: bool) -> str:
        if not r.track_inventory and r.variant_count == 1:
            return "" if editing else "not tracked"
        text = format_quantity(r.on_hand, r.precision)
        return text if editing or not r.low_stock else f"{text} (low)"

    # --- quick edits ----------------------------------------------------------------------

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        record = self.row_record(index.row()) if index.isValid() else None
        if record is not None and record.variant_count == 1 and (
            index.column() == PRICE or (index.column() == STOCK and record.track_inventory)
        ):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A typed price or stock total: shown at once, written by whoever listens to
        ``price_edited``/``stock_edited`` (the page, through the services)."""
        record = self.row_record(index.row()) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or record is None or not (
            self.flags(index) & Qt.ItemFlag.ItemIsEditable
        ):
            return False
        try:
            if index.column() == PRICE:
                new = money.parse_money(str(value), self.currency)
                if new == record.price_min:
                    return False
                self._put(replace(record, price_min=new, price_max=new), index)
                self.price_edited.emit(record, record.price_min, new)
            else:
                new = parse_quantity(str(value), record.precision, record.unit)
                if new == record.on_hand:
                    return False
                self._put(replace(record, on_hand=new), index)
                self.stock_edited.emit(record, record.on_hand, new)
        except DomainError as exc:
            self.edit_refused.emit(exc.user_message)
            return False
        return True

    def _put(self, record: CatalogRow, index: _Index) -> None:
        self._cache[record.rowid] = record
        self.dataChanged.emit(self.index(index.row(), 0),
                              self.index(index.row(), len(COLUMNS) - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None
        if key is not None:
            self.set_filter(replace(self.filter, sort=key,
                                    descending=order == Qt.SortOrder.DescendingOrder))

