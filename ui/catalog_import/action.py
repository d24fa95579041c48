"""The window's "Import catalog…" action (Ctrl+Shift+I), opening the import dialog over the
open shop database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ui.messages import MessageLevel
from ui.sell.context import current_core

SHORTCUT = "Ctrl+Shift+I"


def install_import_action(window: QMainWindow) -> QAction:
    action = QAction("Import catalog…", window)
    action.setObjectName("importCatalogAction")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(f"Import a Square or Shopify catalog ({SHORTCUT})")
    action.triggered.connect(lambda _checked=False: open_import_dialog(window))
    window.addAction(action)
    return action


def open_import_dialog(window: QMainWindow) -> None:
    core = current_core()
    show = getattr(window, "show_message", None)
    if core is None:
        if show is not None:
            show("The shop database is still opening; try the import again in a moment.",
                 MessageLevel.INFO)
        return
    from ui.catalog_import.dialog import ImportDialog
    from vendor_console.catalog_io import CatalogTransfer

    existing = window.findChild(ImportDialog)
    if existing is not None:
        existing.show()
        existing.raise_()
        return
    dialog = ImportDialog(CatalogTransfer(core.db), lambda: core.signed_in, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
