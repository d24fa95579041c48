"""The catalog page's Import… and Export… buttons: the import wizard, and exports written on
a worker that the importer reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.ui.catalog.conftest import OFFSCREEN_NOISE, Core, Shelf
from tests.ui.catalog.test_catalog_page import make_page
from ui.catalog.transfer_buttons import EXPORTS
from ui.catalog_import.action import SHORTCUT
from ui.catalog_import.dialog import ImportDialog
from vendor_console.catalog_io import CatalogTransfer


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "does not support raise")  # offscreen
def test_import_button_shows_its_shortcut_and_opens_the_wizard(qtbot: QtBot,
                                                               core: Core) -> None:
    page = make_page(qtbot, core)
    button = page.transfer.import_button
    assert button.isVisible() and button.isEnabled()
    assert SHORTCUT in button.text() and SHORTCUT in button.toolTip()
    assert "Import" in button.text()
    assert page.window().findChild(ImportDialog) is None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.window().findChild(ImportDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a second click raises the same wizard
    assert len(page.window().findChildren(ImportDialog)) == 1
    dialog.reject()


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_export_menu_writes_the_chosen_format_on_a_worker(
        qtbot: QtBot, core: Core, shelf: Shelf, tmp_path: Path, fmt: str) -> None:
    page = make_page(qtbot, core)
    button = page.transfer.export_button
    assert button.isVisible()
    menu = button.menu()
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert [t.split(" ")[0] for t in texts] == ["Square", "Shopify", "Vendor"]
    action = next(a for a in menu.actions() if a.data() == fmt)
    action.trigger()
    dialog = page.window().findChild(QFileDialog, "catalogExportFileDialog")
    assert dialog is not None
    target = tmp_path / f"out{EXPORTS[fmt][2]}"
    with qtbot.waitSignal(page.transfer.exported) as written:
        dialog.fileSelected.emit(str(target))  # what choosing the file and Save do
        assert not button.isEnabled()  # while the worker writes
    assert written.args == [str(target), 5]
    assert button.isEnabled()
    assert "Exported 5 products" in page.info.text()
    assert target.exists()
    if fmt == "jsonl":
        lines = [json.loads(line) for line in target.read_text().splitlines() if line]
        assert len(lines) >= 5
    # What was written reads back as the same five products, unchanged.
    plan = CatalogTransfer(shelf.shop.db).dry_run(target)
    assert not plan.errors and not plan.conflicts, fmt
    assert sorted(p.name for p in plan.products) == sorted(shelf.products), fmt
    assert plan.of("create") == [], fmt


def test_export_to_an_unwritable_place_says_so_and_writes_nothing(
        qtbot: QtBot, core: Core, tmp_path: Path) -> None:
    page = make_page(qtbot, core)
    target = tmp_path / "no-such-folder" / "catalog.csv"
    page.transfer.export_to("square", target)
    qtbot.waitUntil(lambda: "Export failed" in page.info.text())
    assert str(target) in page.info.text()
    assert not target.exists()
    qtbot.waitUntil(page.transfer.export_button.isEnabled)
