"""Sync: how the till stands with the marketplace, what needs attention, and "Sync now".

Dead letters (messages the marketplace refused) can be retried or discarded (a sale cannot be
discarded); catalog conflicts are settled by choosing the marketplace's value or this till's.
All reads and writes run on workers; the engine itself runs on the qasync loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.list_table_model import ListTableModel
from ui.sell.context import current_core
from ui.sync_context import current_service
from ui.sync_runner import runner_of
from ui.workers import run_in_background

if TYPE_CHECKING:
    from vendor_console.status import ShellStatus

Index = QModelIndex | QPersistentModelIndex


class RowsModel(ListTableModel):
    """A small read-only table of (id, columns…) rows."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self.rows: list[tuple[str, list[str]]] = []

    def set_rows(self, rows: list[tuple[str, list[str]]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def titles(self) -> list[str]:
        return self._headers

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return self.rows[index.row()][1][index.column()]
        return None


def _table(model: RowsModel, parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


class SyncPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:  # noqa: PLR0915
        super().__init__(parent)
        heading = QLabel("Sync", self)
        heading.setObjectName("pageHeading")
        self.summary = QLabel("Marketplace not connected", self)
        self.summary.setObjectName("syncSummary")
        self.sync_now_button = QPushButton("Sync now", self)
        self.sync_now_button.setObjectName("syncNow")
        self.sync_now_button.setShortcut("F5")
        self.message = QLabel(self)
        self.message.setObjectName("syncMessage")
        self.message.setWordWrap(True)
        self.facts: dict[str, QLabel] = {}
        facts = QGroupBox("Status", self)
        grid = QGridLayout(facts)
        for line, (key, label) in enumerate((
                ("online", "Connection"), ("pending", "Waiting to send"),
                ("oldest", "Oldest waiting"), ("last", "Last successful sync"),
                ("dead", "Need attention"), ("initial", "First sync"))):
            grid.addWidget(QLabel(label, facts), line, 0)
            value = QLabel("–", facts)
            value.setObjectName(f"syncFact_{key}")
            self.facts[key] = value
            grid.addWidget(value, line, 1)
        self.dead_model = RowsModel(["What", "Why the marketplace refused it"], self)
        self.dead_view = _table(self.dead_model, self, "deadLetters")
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setObjectName("retryDead")
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setObjectName("discardDead")
        self.issue_model = RowsModel(["Kind", "What happened"], self)
        self.issue_view = _table(self.issue_model, self, "syncIssues")
        self.keep_theirs_button = QPushButton("Keep the marketplace's / dismiss", self)
        self.keep_theirs_button.setObjectName("keepTheirs")
        self.keep_mine_button = QPushButton("Keep this till's value", self)
        self.keep_mine_button.setObjectName("keepMine")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.sync_now_button)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(facts)
        layout.addWidget(QLabel("Messages the marketplace refused", self))
        layout.addWidget(self.dead_view, 1)
        dead_row = QHBoxLayout()
        dead_row.addWidget(self.retry_button)
        dead_row.addWidget(self.discard_button)
        dead_row.addStretch(1)
        layout.addLayout(dead_row)
        layout.addWidget(QLabel("Issues to look at", self))
        layout.addWidget(self.issue_view, 1)
        row2 = QHBoxLayout()
        row2.addWidget(self.keep_theirs_button)
        row2.addWidget(self.keep_mine_button)
        row2.addStretch(1)
        layout.addLayout(row2)

        self.sync_now_button.clicked.connect(self.sync_now)
        self.retry_button.clicked.connect(lambda: self._dead_action("retry"))
        self.discard_button.clicked.connect(lambda: self._dead_action("discard"))
        self.keep_theirs_button.clicked.connect(lambda: self._issue_action("theirs"))
        self.keep_mine_button.clicked.connect(lambda: self._issue_action("mine"))
        self._connected = False

    # -- status ---------------------------------------------------------------------------
    def show_status(self, _status: ShellStatus | None) -> None:
        runner = runner_of(self)
        if runner is not None and not self._connected:
            runner.status_changed.connect(self.show_sync_status)
            self._connected = True
            if runner.last is not None:
                self.show_sync_status(runner.last)

    def show_sync_status(self, status: Any) -> None:
        self.summary.setText(status.summary())
        self.facts["online"].setText("Online" if status.online else "Offline")
        self.facts["pending"].setText(str(status.pending))
        age = status.oldest_pending_age_s
        self.facts["oldest"].setText("–" if age is None else _age(age))
        self.facts["last"].setText("never" if status.last_success_at is None
                                   else status.last_success_at.strftime("%Y-%m-%d %H:%M:%S"))
        self.facts["dead"].setText(str(status.dead_letters + status.open_issues))
        self.facts["initial"].setText(f"{status.initial_sync_rows} rows"
                                      if status.phase == "bootstrap" else "done")
        self.reload()

    def reload(self) -> None:
        service = current_service()
        if service is None:
            return
        run_in_background(lambda: (service.dead_letters(), service.issues()),
                          on_success=self._fill, owner=self)

    def _fill(self, found: tuple[list[Any], list[Any]]) -> None:
        dead, issues = found
        self.dead_model.set_rows([(d.id, [f"{d.resource_type} {d.operation}", d.reason])
                                  for d in dead])
        self.issue_model.set_rows([(i.id, [i.kind.replace("_", " "), i.message])
                                   for i in issues])

    # -- actions --------------------------------------------------------------------------
    def sync_now(self) -> None:
        runner = runner_of(self)
        if runner is None:
            self.message.setText("Pair this till with a marketplace first (Settings).")
            return
        runner.sync_now()
        self.message.setText("Syncing…")

    def _selected(self, view: QTableView, model: RowsModel) -> str | None:
        rows = view.selectionModel().selectedRows()
        return model.rows[rows[0].row()][0] if rows else None

    def _dead_action(self, action: str) -> None:
        service = current_service()
        row_id = self._selected(self.dead_view, self.dead_model)
        if service is None or row_id is None:
            self.message.setText("Choose a message in the list first.")
            return
        work = service.retry if action == "retry" else service.discard
        run_in_background(lambda: work(row_id), owner=self,
                          on_success=lambda _r: self._done("Retrying…" if action == "retry"
                                                           else "Discarded."),
                          on_failure=lambda _e, message: self.message.setText(message))

    def _issue_action(self, keep: str) -> None:
        service = current_service()
        issue_id = self._selected(self.issue_view, self.issue_model)
        if service is None or issue_id is None:
            self.message.setText("Choose an issue in the list first.")
            return
        core = current_core()
        actor = core.signed_in if core is not None else None
        if keep == "mine":
            if actor is None:
                self.message.setText("Sign in at the counter to change the catalog.")
                return
            work = lambda: service.keep_mine(actor, issue_id)  # noqa: E731
        else:
            work = lambda: service.resolve_issue(issue_id)  # noqa: E731
        run_in_background(work, owner=self, on_success=lambda _r: self._done("Settled."),
                          on_failure=lambda _e, message: self.message.setText(message))

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.reload()


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def create_page() -> QWidget:
    return SyncPage()
