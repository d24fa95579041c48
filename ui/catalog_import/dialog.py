"""Import a catalog: pick a file → dry-run report → import with a progress bar and Cancel.

Reading the file, the dry run and the import run on the worker pool (``ui.workers``); the
import's progress comes from the writer thread through a queued signal. Cancel rolls the
whole import back (it is one transaction). The dialog is non-modal: open it with ``open()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.catalog_import.issues_model import IssuesModel
from ui.workers import run_in_background
from vendor_console.catalog_io import CatalogTransfer, ImportPlan, ImportResult
from vendor_console.catalog_io.report import describe_file, plan_text, rows_word
from vendor_console.permissions import Actor

FILE_FILTER = "Catalog files (*.csv *.xlsx *.jsonl *.txt);;All files (*)"


class _Progress(QObject):
    changed = Signal(int, int)  # emitted on the writer thread, delivered on the GUI thread


class ImportDialog(QDialog):
    finished_import = Signal(object)  # ImportResult

    def __init__(self, transfer: CatalogTransfer, actor: Callable[[], Actor | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogImportDialog")
        self.setWindowTitle("Import a catalog")
        self.resize(860, 600)
        self._transfer = transfer
        self._actor = actor
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self._cancel: threading.Event | None = None
        self._busy = False

        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText("A Square item library (CSV or XLSX), a Shopify "
                                          "product or inventory CSV, or a catalog JSONL")
        self.browse_button = QPushButton("Choose file…", self)
        self.check_button = QPushButton("Check file", self)
        self.check_button.setDefault(True)
        self.summary = QLabel("Choose a file; nothing is imported before you have seen what "
                              "would change.", self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.issues = IssuesModel()
        self.issues_view = QTableView(self)
        self.issues_view.setModel(self.issues)
        self.issues_view.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.issues_view.verticalHeader().hide()
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.location_form = QFormLayout()
        self.location_combos: dict[str, QComboBox] = {}
        self._locations: dict[str, str] = {}  # the file's location name -> ours
        self.skip_box = QCheckBox("Skip the rejected rows and import the rest", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.import_button = QPushButton("Import", self)
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel import", self)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close", self)
        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)
        self._layout()

        self.browse_button.clicked.connect(self._browse)
        self.check_button.clicked.connect(self.check)
        self.path_edit.returnPressed.connect(self.check)
        self.path_edit.textChanged.connect(self._forget_plan)
        self.skip_box.toggled.connect(self._update_buttons)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

    def _layout(self) -> None:
        pick = QHBoxLayout()
        pick.addWidget(self.path_edit, 1)
        pick.addWidget(self.browse_button)
        pick.addWidget(self.check_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_box, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addLayout(pick)
        column.addWidget(self.summary)
        column.addLayout(self.location_form)
        column.addWidget(self.issues_view, 2)
        column.addWidget(self.details, 1)
        column.addWidget(self.progress)
        column.addLayout(buttons)

    # -- step 1: the file ------------------------------------------------------------------
    def _browse(self) -> None:
        chooser = QFileDialog(self, "Choose a catalog file", "", FILE_FILTER)
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.fileSelected.connect(self._chosen)
        chooser.open()

    def _chosen(self, path: str) -> None:
        self.path_edit.setText(path)
        self.check()

    def _forget_plan(self) -> None:
        self.plan = None
        self._locations = {}
        self._update_buttons()

    # -- the file's stock locations -> ours ------------------------------------------------
    def _show_locations(self, plan: ImportPlan) -> None:
        names = [str(n) for n in plan.details.get("locations") or ()]
        if sorted(self.location_combos) == sorted(names):
            return
        while self.location_form.rowCount():
            self.location_form.removeRow(0)
        self.location_combos = {}
        for name in names:
            combo = QComboBox(self)
            combo.addItem("same name, or the default location", None)
            for ours in plan.our_locations:
                combo.addItem(ours, ours)
            chosen = self._locations.get(name)
            if chosen is not None:
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.currentIndexChanged.connect(
                lambda _i, n=name, c=combo: self._map_location(n, c.currentData()))
            self.location_form.addRow(f"Stock at “{name}” goes to:", combo)
            self.location_combos[name] = combo

    def _map_location(self, theirs: str, ours: str | None) -> None:
        if ours is None:
            self._locations.pop(theirs, None)
        else:
            self._locations[theirs] = ours
        self.check()

    # -- step 2: the dry run ---------------------------------------------------------------
    def check(self) -> None:
        text = self.path_edit.text().strip()
        if not text or self._busy:
            return
        path = Path(text)
        self._set_busy(True, "Reading the file…")
        locations = dict(self._locations)
        run_in_background(lambda: self._transfer.dry_run(path, locations=locations),
                          on_success=self._show_plan,
                          on_failure=self._failed, on_done=lambda: self._set_busy(False),
                          owner=self)

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.import_result = None
        self.issues.set_plan(plan)
        self.details.setPlainText(plan_text(plan))
        self._show_locations(plan)
        rejected = len(plan.rejected_rows)
        self.summary.setText(
            describe_file(plan) + "\n"
            f"{len(plan.of('create'))} to create, {len(plan.of('update'))} to update, "
            f"{len(plan.of('unchanged'))} unchanged, {len(plan.counts)} stock counts. "
            + (f"{rows_word(rejected)} rejected: fix the file, or tick “Skip” to import the "
               "rest."
               if rejected else "No rows rejected.")
            + ("" if plan.writes_anything else " Nothing to import: the catalog already "
               "matches this file."))
        self._update_buttons()

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.summary.setText(message)
        self.plan = None
        self._update_buttons()

    # -- step 3: the import ----------------------------------------------------------------
    def start_import(self) -> None:
        if self.plan is None or self._busy:
            return
        actor = self._actor()
        if actor is None:
            self.summary.setText("Sign in on the Sell page first: imports are recorded "
                                 "under the staff member who makes them.")
            return
        path = Path(self.path_edit.text().strip())
        skip = self.skip_box.isChecked()
        locations = dict(self._locations)
        cancel = self._cancel = threading.Event()
        emit = self._progress.changed.emit
        self.progress.setRange(0, 0)  # busy until the first progress report
        self._set_busy(True, "Importing… (Cancel undoes everything)")
        self.cancel_button.setEnabled(True)
        run_in_background(
            lambda: self._transfer.apply(actor, path, skip_bad_rows=skip, progress=emit,
                                         cancel=cancel, locations=locations),
            on_success=self._imported, on_failure=self._failed, on_done=self._import_over,
            owner=self)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.summary.setText("Cancelling… nothing will be changed.")
            self.cancel_button.setEnabled(False)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _imported(self, result: ImportResult) -> None:
        self.import_result = result
        self.plan = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.summary.setText(
            f"Imported: {result.created} created, {result.updated} updated, {result.counts} "
            "stock counts" + (f"; {len(result.failed)} products failed and were skipped"
                              if result.failed else "") + ".")
        self.finished_import.emit(result)

    def _import_over(self) -> None:
        self._cancel = None
        self.cancel_button.setEnabled(False)
        if self.import_result is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
        self._set_busy(False)

    # -- state -----------------------------------------------------------------------------
    def _set_busy(self, busy: bool, message: str | None = None) -> None:
        self._busy = busy
        if message:
            self.summary.setText(message)
        for widget in (self.path_edit, self.browse_button, self.check_button, self.skip_box,
                       *self.location_combos.values()):
            widget.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        ok = plan is not None and plan.writes_anything and (
            not plan.rejected_rows or self.skip_box.isChecked())
        self.import_button.setEnabled(bool(ok) and not self._busy)

    def busy(self) -> bool:
        return self._busy

    def reject(self) -> None:
        """Closing while importing cancels the import first (it rolls back)."""
        if self._cancel is not None:
            self.cancel()
            return
        super().reject()
