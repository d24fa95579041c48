"""The catalog page's "Import…" and "Export…" buttons.

Import opens the catalog import wizard (the same dialog as the window's Ctrl+Shift+I action,
``ui.catalog_import.action``), over the page's own database. Export offers Square CSV, Shopify
CSV or the native JSONL, asks for a file, and writes it on a worker (the exporters of
``vendor_console.catalog_io``), saying how many products it wrote or what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QPushButton, QWidget

from ui.catalog_import.action import SHORTCUT
from ui.workers import run_in_background
from vendor_console.permissions import Actor
from vendor_console.services.counter import CoreLike

# format -> (menu text, file filter, suffix)
EXPORTS: dict[str, tuple[str, str, str]] = {
    "square": ("Square item library (CSV)…", "CSV files (*.csv)", ".csv"),
    "shopify": ("Shopify products (CSV)…", "CSV files (*.csv)", ".csv"),
    "jsonl": ("Vendor Console (JSONL)…", "JSON Lines (*.jsonl)", ".jsonl"),
}


class TransferButtons(QObject):
    """Two buttons for the page's toolbar row; ``message`` carries what the user should
    know."""

    message = Signal(str)
    exported = Signal(str, int)  # path, products written (for tests)

    def __init__(self, core: CoreLike, parent: QWidget) -> None:
        super().__init__(parent)
        self.core = core
        self._page = parent
        self.import_button = QPushButton(f"&Import…  ({SHORTCUT})", parent)
        self.import_button.setObjectName("catalogImportButton")
        self.import_button.setToolTip(f"Import a Square or Shopify catalog ({SHORTCUT})")
        self.import_button.clicked.connect(self.open_import)
        self.export_button = QPushButton("E&xport…", parent)
        self.export_button.setObjectName("catalogExportButton")
        self.export_menu = QMenu(self.export_button)
        for fmt, (text, _filter, _suffix) in EXPORTS.items():
            action = QAction(text, self.export_menu)
            action.setData(fmt)
            action.triggered.connect(lambda _checked=False, f=fmt: self.choose_export_file(f))
            self.export_menu.addAction(action)
        self.export_button.setMenu(self.export_menu)

    def buttons(self) -> tuple[QPushButton, QPushButton]:
        return self.import_button, self.export_button

    def open_import(self) -> QWidget:
        from ui.catalog_import.dialog import ImportDialog
        from vendor_console.catalog_io import CatalogTransfer

        owner = self._page.window()
        existing = owner.findChild(ImportDialog)
        if existing is not None:  # opened already, from here or the window's action
            existing.show()
            existing.raise_()
            return existing
        core = self.core
        signed_in: Callable[[], Actor | None] = lambda: core.signed_in  # noqa: E731
        dialog = ImportDialog(CatalogTransfer(core.db), signed_in, owner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def choose_export_file(self, fmt: str) -> QFileDialog:
        text, name_filter, suffix = EXPORTS[fmt]
        dialog = QFileDialog(self._page.window(), f"Export the catalog as {text.rstrip('…')}")
        dialog.setObjectName("catalogExportFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        dialog.selectFile(f"catalog-{fmt}{suffix}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda chosen: self.export_to(fmt, Path(chosen)))
        dialog.open()
        return dialog

    def export_to(self, fmt: str, path: Path) -> None:
        """Write the catalog as ``fmt`` to ``path`` on a worker."""
        if fmt not in EXPORTS:
            self.message.emit(f"Unknown export format {fmt!r}.")
            return
        from vendor_console.catalog_io import CatalogTransfer

        transfer = CatalogTransfer(self.core.db)
        self.export_button.setEnabled(False)
        self.message.emit(f"Exporting the catalog to {path.name}…")

        def work() -> int | str:
            try:
                return transfer.export(fmt, path)
            except OSError as exc:  # a folder we may not write, a full disk
                return f"Export failed: cannot write {path}: {exc.strerror or exc}"

        def done(result: int | str) -> None:
            if isinstance(result, str):
                self.message.emit(result)
                return
            self.message.emit(f"Exported {result:,} product{'s' if result != 1 else ''} "
                              f"to {path}.")
            self.exported.emit(str(path), result)

        run_in_background(work, on_success=done,
                          on_failure=lambda _e, m: self.message.emit(f"Export failed: {m}"),
                          on_done=lambda: self.export_button.setEnabled(True), owner=self)
