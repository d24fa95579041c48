"""The import wizard: dry-run report, import with progress off the UI thread, cancel, shortcut."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from bench.catalog_import import shopify_csv
from tests.catalog_io.conftest import fixture, table_counts
from tests.conftest import ShopFixture
from tests.ui.page_fixtures import OFFSCREEN_NOISE, FakeCore, _workers_done  # noqa: F401 (fixture)
from ui.catalog_import.dialog import ImportDialog
from ui.catalog_import.issues_model import IssuesModel
from ui.main_window import MainWindow
from ui.sell.context import forget_core, publish_core
from vendor_console.catalog_io import CatalogTransfer
from vendor_console.services.catalog import CatalogService
from vendor_console.services.inventory import InventoryService

# The offscreen platform says these for any top-level dialog shown and raised; not ours.
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "This plugin does not support raise")


@pytest.fixture
def dialog(qtbot: QtBot, shop: ShopFixture) -> ImportDialog:
    widget = ImportDialog(CatalogTransfer(shop.db), lambda: shop.manager)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _check(qtbot: QtBot, dialog: ImportDialog, path: Path) -> None:
    dialog.path_edit.setText(str(path))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: not dialog.busy())


def test_issues_model_passes_the_model_tester(qtmodeltester: ModelTester,
                                              shop: ShopFixture) -> None:
    transfer = CatalogTransfer(shop.db)
    model = IssuesModel()
    qtmodeltester.check(model)
    model.set_plan(transfer.dry_run(fixture("hostile_mangled_codes.csv")))
    qtmodeltester.check(model)
    assert model.rowCount() == 4 and sorted(model.kinds()) == ["Error", "Warning", "Warning",
                                                               "Warning"]
    model.set_plan(None)
    assert model.rowCount() == 0


def test_report_first_then_import_with_progress(qtbot: QtBot, dialog: ImportDialog,
                                                shop: ShopFixture) -> None:
    before = table_counts(shop)
    _check(qtbot, dialog, fixture("square_items.csv"))
    assert "3 to create" in dialog.summary.text()
    assert "Old Scone" in dialog.details.toPlainText()  # the skipped, archived item
    assert dialog.issues.rowCount() == 2 and dialog.import_button.isEnabled()
    assert table_counts(shop) == before  # the report wrote nothing
    with qtbot.waitSignal(dialog.finished_import) as done:
        dialog.import_button.click()
        assert dialog.busy() and not dialog.import_button.isEnabled()
    assert done.args is not None and done.args[0].created == 3
    qtbot.waitUntil(lambda: not dialog.busy())
    assert dialog.progress.value() == dialog.progress.maximum()
    assert "Imported: 3 created" in dialog.summary.text()
    assert CatalogService(shop.db).find_by_sku("SD-S") is not None
    assert not dialog.import_button.isEnabled()  # done: check the file again to re-import


def test_rejected_rows_block_import_until_skip_is_ticked(qtbot: QtBot, dialog: ImportDialog,
                                                         shop: ShopFixture) -> None:
    _check(qtbot, dialog, fixture("hostile_duplicate_handles.csv"))
    assert "1 row rejected" in dialog.summary.text()
    assert "Shopify product CSV (legacy headers): CSV, UTF-8" in dialog.summary.text()
    assert dialog.issues.kinds() == ["Error"]
    assert not dialog.import_button.isEnabled()
    dialog.skip_box.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.finished_import):
        dialog.import_button.click()
    assert CatalogService(shop.db).find_by_sku("BOWL-1") is not None
    assert CatalogService(shop.db).find_by_sku("MUG-1") is None


def test_unreadable_file_shows_the_reason(qtbot: QtBot, dialog: ImportDialog,
                                          tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_bytes("Handle,Title\nä,Ä\n".encode("latin-1"))
    _check(qtbot, dialog, tmp_path / "bad.csv")
    assert "not UTF-8" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_cancel_rolls_back(qtbot: QtBot, dialog: ImportDialog, shop: ShopFixture,
                           tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_bytes(shopify_csv(2000))
    _check(qtbot, dialog, tmp_path / "big.csv")
    before = table_counts(shop)
    dialog.import_button.click()
    dialog.cancel_button.click()  # at once: the import has not reached its first product
    qtbot.waitUntil(lambda: not dialog.busy())
    assert "cancelled" in dialog.summary.text()
    assert dialog.import_result is None and table_counts(shop) == before


def test_no_one_signed_in(qtbot: QtBot, shop: ShopFixture) -> None:
    widget = ImportDialog(CatalogTransfer(shop.db), lambda: None)
    qtbot.addWidget(widget)
    _check(qtbot, widget, fixture("square_items.csv"))
    widget.import_button.click()
    assert "Sign in" in widget.summary.text() and not widget.busy()


def test_ctrl_shift_i_opens_the_dialog(qtbot: QtBot, window: MainWindow,
                                       shop: ShopFixture) -> None:
    action = window.import_action
    assert action.shortcut() == QKeySequence("Ctrl+Shift+I")
    action.trigger()  # the database is not open yet: a notice, no dialog
    assert window.findChild(ImportDialog) is None
    publish_core(FakeCore(shop.db, signed_in=shop.owner))
    try:
        qtbot.keyClick(window, Qt.Key.Key_I,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        opened = window.findChild(ImportDialog)
        assert opened is not None and opened.isVisible()
        action.trigger()  # a second press brings the same dialog forward
        assert len(window.findChildren(ImportDialog)) == 1
        opened.close()
    finally:
        forget_core()


def test_file_locations_are_mapped_to_ours(qtbot: QtBot, dialog: ImportDialog,
                                           shop: ShopFixture, tmp_path: Path) -> None:
    (tmp_path / "two.csv").write_text(
        "Token,Item Name,Variation Name,SKU,Price,New Quantity Stall,New Quantity Depot\n"
        ",Honey,Regular,HON-1,8.00,6,40\n")
    _check(qtbot, dialog, tmp_path / "two.csv")
    assert sorted(dialog.location_combos) == ["Depot", "Stall"]
    assert dialog.plan is not None and dialog.plan.counts == []
    combo = dialog.location_combos["Depot"]
    combo.setCurrentIndex(combo.findData("Shop"))  # re-checks the file with the mapping
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.plan is not None)
    assert dialog.plan is not None and [c.counted for c in dialog.plan.counts] == [40_000]
    with qtbot.waitSignal(dialog.finished_import):
        dialog.import_button.click()
    honey = CatalogService(shop.db).find_by_sku("HON-1")
    assert honey is not None
    assert InventoryService(shop.db).on_hand(honey.variant_id) == 40_000


def test_closing_while_importing_cancels_first(qtbot: QtBot, dialog: ImportDialog,
                                               shop: ShopFixture, tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_bytes(shopify_csv(2000))
    _check(qtbot, dialog, tmp_path / "big.csv")
    before = table_counts(shop)
    dialog.import_button.click()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Close while it runs: cancel, stay open
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy())
    assert dialog.import_result is None and table_counts(shop) == before
    dialog.close_button.click()  # nothing running: now it closes
    assert not dialog.isVisible()
