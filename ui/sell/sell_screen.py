"""The sell screen: search and tiles, the cart, running totals and the F-key actions.

Every service call runs through :func:`ui.workers.run_in_background`; the cart itself is
priced in memory (no SQL on the GUI thread). Line edits are added by
:class:`ui.sell.line_actions.LineActionsScreen`, payment, parking, refunds and shifts by
:class:`ui.sell.flows.SellScreen`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.sell.ask import give_keyboard_back
from ui.sell.cart_model import CartModel
from ui.sell.pin_pad import TOUCH
from ui.sell.search_panel import SearchPanel
from ui.sell.shortcuts import SHORTCUTS, help_text
from ui.sell.totals_panel import TotalsPanel
from ui.workers import run_in_background
from vendor_console.permissions import Actor, Permission
from vendor_console.services.checkout import ShopTerms
from vendor_console.services.counter import CounterServices
from vendor_console.services.counter_lookup import ScanResult
from vendor_console.services.pricing import VariantSnapshot
from vendor_console.services.sale_records import SaleRecord


class SellScreenBase(QWidget):
    """Layout, the cart, scanning and searching. Actions are added by the mixins."""

    lock_requested = Signal()
    sale_completed = Signal(object)  # SaleRecord

    def __init__(self, services: CounterServices, terms: ShopTerms,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sellScreen")
        self.services = services
        self.terms = terms
        self.actor: Actor | None = None
        self.approver: Actor | None = None  # a manager who approved something on this sale
        self.active_dialog: QDialog | None = None
        self._pending_adds: list[list[ScanResult | VariantSnapshot | None]] = []
        self.model = CartModel(terms, self)
        self.table = QTableView(self)
        self.table.setObjectName("cartTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Items on this sale")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setDefaultSectionSize(TOUCH - 8)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):  # fixed widths: no measuring every row on every scan
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.search = SearchPanel(services, self.model.money, self)
        self.search.chosen.connect(self.add_variant)
        self.search.code_entered.connect(self.add_by_code)
        self.totals = TotalsPanel(self.model, self)
        self.staff_label = QLabel(self)
        self.staff_label.setObjectName("staffLabel")
        self.notice = QLabel("", self)
        self.notice.setObjectName("counterNotice")
        self.notice.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.actions_by_key: dict[str, QAction] = {}
        self._build()
        self.model.rowsInserted.connect(lambda _p, _f, last: self.table.selectRow(last))

    def _build(self) -> None:
        grid = QGridLayout()
        grid.setSpacing(6)
        for n, shortcut in enumerate(SHORTCUTS):
            method = getattr(self, shortcut.action)
            button = QPushButton(f"{shortcut.label}\n{shortcut.key}", self)
            button.setObjectName(f"action_{shortcut.action}")
            button.setMinimumHeight(TOUCH)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"{shortcut.label} ({shortcut.key})")
            button.clicked.connect(lambda _c=False, m=method: m())
            grid.addWidget(button, n // 3, n % 3)
            self.buttons[shortcut.action] = button
            action = QAction(shortcut.label, self)
            action.setShortcut(QKeySequence(shortcut.key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, m=method: m())
            self.addAction(action)
            self.actions_by_key[shortcut.key] = action
        self.search.setMinimumWidth(240)
        self.search.setMaximumWidth(300)
        middle = QVBoxLayout()
        middle.addWidget(self.staff_label)
        middle.addWidget(self.table, 1)
        middle.addWidget(self.notice)
        side = QWidget(self)
        side.setMaximumWidth(400)
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.totals)
        right.addLayout(grid)
        right.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 12, 12, 12)
        row.addWidget(self.search, 2)
        row.addLayout(middle, 6)
        row.addWidget(side, 3)

    def showEvent(self, event: QShowEvent) -> None:
        """Size the number columns for the styled font (known once the screen is shown)."""
        metrics = self.table.fontMetrics()
        samples = ("0.000 kg", self.model.money(9_999), "−" + self.model.money(999),
                   self.model.money(99_999))
        for column, sample in enumerate(samples, start=1):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 12)
        super().showEvent(event)

    # --- who is selling -------------------------------------------------------------------

    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self.staff_label.setText(f"Selling: {actor.name} ({actor.role})" if actor else "")

    def may(self, permission: Permission) -> bool:
        return any(a is not None and a.can(permission) for a in (self.actor, self.approver))

    def tell(self, text: str) -> None:
        """An expected problem or a notice, shown under the cart (never modal)."""
        self.notice.setText(text)

    def failed(self, _exc: BaseException, message: str) -> None:
        self.tell(message)

    def open_dialog(self, dialog: QDialog) -> QDialog:
        self.active_dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_closed(d))
        if not dialog.isVisible():
            dialog.open()
        return dialog

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
            give_keyboard_back(self)
        self.search.focus_search()

    # --- adding items ---------------------------------------------------------------------

    def add_by_code(self, code: str) -> None:
        self._queue_add(lambda: self.services.lookup_code(code))

    def add_variant(self, variant_id: str) -> None:
        self._queue_add(lambda: self.services.snapshot(variant_id))

    def _queue_add(self, fetch: Callable[[], ScanResult | VariantSnapshot]) -> None:
        """Look up on a worker; results are applied in the order the items were asked for,
        so two quick scans never swap their lines."""
        slot: list[ScanResult | VariantSnapshot | None] = []
        self._pending_adds.append(slot)

        def arrived(result: ScanResult | VariantSnapshot | None) -> None:
            slot.append(result)
            while self._pending_adds and self._pending_adds[0]:
                ready = self._pending_adds.pop(0)[0]
                if isinstance(ready, ScanResult):
                    self._scanned(ready)
                elif ready is not None:
                    self.add_snapshot(ready)

        def failed(_exc: BaseException, message: str) -> None:
            self.tell(message)
            arrived(None)

        run_in_background(fetch, on_success=arrived, on_failure=failed, owner=self)

    def _scanned(self, result: ScanResult) -> None:
        if result.item is not None:
            self.add_snapshot(result.item)
            self.search.clear()
        elif result.receipt is not None:
            self.search.clear()
            self.open_refund(result.receipt)
        elif result.archived_name:
            self.tell(f"{result.archived_name} is no longer sold (removed from the catalog).")
        else:
            self.tell(f"Nothing has the barcode or receipt number “{result.code}”.")

    def add_snapshot(self, item: VariantSnapshot) -> None:
        row = self.model.add(item)
        self.table.selectRow(row)
        self.tell(f"Added {item.name}.")
        if item.precision:
            self.ask_quantity()  # weighed items: the quantity is always asked

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return self.model.rowCount() - 1 if self.model.rowCount() else None

    # --- simple actions ---------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.focus_search()

    def lock(self) -> None:
        self.lock_requested.emit()

    def show_help(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.NoIcon, "Shortcuts", help_text(),
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("helpDialog")
        self.open_dialog(box)

    # --- provided by the subclasses (line_actions.py, flows.py) ---------------------------

    def ask_quantity(self) -> None:
        raise NotImplementedError

    def open_refund(self, receipt: SaleRecord | None = None) -> None:
        raise NotImplementedError
