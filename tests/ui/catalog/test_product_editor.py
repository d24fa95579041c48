"""The product editor: every field and variant, checked as typed, saved through the service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from local_db.tables import outbox
from tests.ui.catalog.conftest import Core, Shelf
from ui.catalog.editor.dialog import ProductEditor
from ui.catalog.editor.variants_model import VariantsModel
from ui.catalog.screen import CatalogScreen
from vendor_console.barcodes import is_in_house
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_console import CatalogConsole


def col(model: VariantsModel, key: str) -> int:
    return next(i for i, c in enumerate(model.columns) if c.key == key)


def set_cell(model: VariantsModel, row: int, key: str, text: str) -> None:
    assert model.setData(model.index(row, col(model, key)), text)


def editor_for(qtbot: QtBot, core: Core, product_id: str | None = None) -> ProductEditor:
    editor = ProductEditor(CatalogConsole(core.db), core.signed_in, product_id)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.ready):
        editor.show()
    return editor


@pytest.fixture
def new_editor(qtbot: QtBot, core: Core) -> Iterator[ProductEditor]:
    yield editor_for(qtbot, core)


def outbox_count(core: Core) -> int:
    with core.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(outbox)).scalar_one())


def test_variants_model_passes_qt_model_tester(new_editor: ProductEditor,
                                               qtmodeltester: ModelTester) -> None:
    model = new_editor.variants
    set_cell(model, 0, "price", "3")
    model.add_variant(model.variant(0))
    set_cell(model, 1, "barcode", "123")  # an in-house code
    qtmodeltester.check(model, force_py=True)


def test_every_field_is_saved(qtbot: QtBot, new_editor: ProductEditor, shelf: Shelf,
                              core: Core) -> None:
    e = new_editor
    model = e.variants
    e.name.setText("  Linen   tea towel ")
    e.description.setPlainText("Hand-printed.")
    qtbot.waitUntil(lambda: e.category.findText("Pantry") >= 0)
    e.category.setCurrentIndex(e.category.findText("Pantry"))
    e.tags.setText("organic, local")
    e.visibility.setCurrentIndex(e.visibility.findData("HIDDEN"))
    e.availability.setCurrentIndex(e.availability.findData("SOLD_OUT"))
    e.material.setText("linen")
    e.style_field.setText("block print")
    for key, value in (("width_mm", "500"), ("height_mm", "700"), ("depth_mm", "2"),
                       ("weight_g", "90")):
        e.sizes[key].setText(value)
    for key, text in (("name", "Blue"), ("options", "Colour=Blue; Size=Large"),
                      ("sku", "TOWEL-B"), ("barcode", "5901234123457"), ("price", "12.50"),
                      ("compare_at_price", "15"), ("cost", "4.20"), ("tax_rate_id",
                      "Standard 20 %"), ("inventory_policy", "continue"),
                      ("low_stock_threshold", "3")):
        set_cell(model, 0, key, text)
    e.add_variant()
    set_cell(model, 1, "name", "Flour by weight")
    set_cell(model, 1, "unit", "kg")
    set_cell(model, 1, "precision", "3")
    set_cell(model, 1, "price", "2")
    set_cell(model, 1, "compare_at_price", "")
    set_cell(model, 1, "low_stock_threshold", "0.5")
    model.setData(model.index(1, col(model, "track_inventory")), Qt.CheckState.Unchecked.value,
                  Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(e.generate_button.clicked):
        e.generate_button.click()
    qtbot.waitUntil(lambda: model.variant(1).barcode is not None)
    assert e.validate(), e.problem
    with qtbot.waitSignal(e.saved) as saved:
        qtbot.keyClick(e, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    p = CatalogService(core.db).get_product(saved.args[0])
    assert (p.name, p.description, p.category_name, p.dietary_tags, p.visibility,
            p.availability, p.material, p.style, p.width_mm, p.height_mm, p.depth_mm,
            p.weight_g) == ("Linen tea towel", "Hand-printed.", "Pantry", ("organic", "local"),
                            "HIDDEN", "SOLD_OUT", "linen", "block print", 500, 700, 2, 90)
    blue, flour = p.variants
    assert (blue.name, blue.options, blue.sku, blue.barcode, blue.price, blue.compare_at_price,
            blue.cost, blue.tax_rate_id, blue.inventory_policy, blue.low_stock_threshold) == (
        "Blue", {"Colour": "Blue", "Size": "Large"}, "TOWEL-B", "5901234123457", 1250, 1500,
        420, shelf.shop.tax_rate_ids["standard"], "CONTINUE", 3000)
    assert (flour.unit, flour.precision, flour.track_inventory, flour.low_stock_threshold) == (
        "kg", 3, False, 500)
    assert flour.barcode is not None and is_in_house(flour.barcode)


def test_wrong_check_digit_is_shown_in_the_cell_and_blocks_saving(
    new_editor: ProductEditor
) -> None:
    e, model = new_editor, new_editor.variants
    e.name.setText("Jam")
    set_cell(model, 0, "price", "3")
    assert e.save_button.isEnabled()
    set_cell(model, 0, "barcode", "5901234123458")
    index = model.index(0, col(model, "barcode"))
    assert index.data() == "5901234123458"  # what was typed stays, to be corrected
    assert "last digit should be 7" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "last digit should be 7" in e.variant_error.text()
    assert not e.save_button.isEnabled()
    set_cell(model, 0, "barcode", "5901234123457")
    assert e.save_button.isEnabled() and model.variant(0).barcode == "5901234123457"


def test_inline_messages_beside_their_fields(new_editor: ProductEditor) -> None:
    e, model = new_editor, new_editor.variants
    assert e.field_error("name") == "Give the product a name."
    e.name.setText("Jam")
    assert e.field_error("name") == ""
    e.sizes["weight_g"].setText("heavy")
    assert e.field_error("weight_g") == "Type a whole number (or leave it empty)."
    e.sizes["weight_g"].setText("250")
    set_cell(model, 0, "price", "5")
    set_cell(model, 0, "compare_at_price", "4")
    assert "compare-at price of Jam must not be below its price" in e.variant_error.text()
    set_cell(model, 0, "price", "five")
    assert "is not an amount of money" in e.variant_error.text()
    assert not e.save_button.isEnabled()


def test_a_refused_save_says_why_and_changes_nothing(qtbot: QtBot, new_editor: ProductEditor,
                                                     core: Core) -> None:
    e = new_editor
    e.name.setText("Another loaf")
    set_cell(e.variants, 0, "price", "4")
    set_cell(e.variants, 0, "sku", "BREAD-1")  # Sourdough loaf has it
    before = outbox_count(core)
    e.save()
    qtbot.waitUntil(lambda: not e.saving)
    assert "already used by “Sourdough loaf”" in e.status.text()
    assert outbox_count(core) == before and e.isVisible()


def test_editing_a_product_writes_an_update(qtbot: QtBot, core: Core, shelf: Shelf) -> None:
    e = editor_for(qtbot, core, shelf.products["Cherry jam"])
    assert e.name.text() == "Cherry jam" and e.tags.text() == "gluten-free"
    set_cell(e.variants, 0, "price", "6.90")
    with qtbot.waitSignal(e.saved):
        e.save_button.click()
    with core.db.read() as conn:
        payload = conn.execute(select(outbox.c.payload).where(
            outbox.c.operation == "update",
            outbox.c.resource_id == shelf.products["Cherry jam"])).scalar_one()
    assert payload["variants"]["update"][0]["price"] == 690


def test_keyboard_reaches_every_field(new_editor: ProductEditor) -> None:
    e = new_editor
    wanted: list[QWidget] = [e.name, e.description, e.category, e.tags, e.visibility,
                             e.availability, e.material, e.style_field, *e.sizes.values(),
                             e.table, e.add_variant_button, e.save_button]
    reached: list[QWidget] = []
    widget: QWidget | None = e.name
    for _ in range(100):
        assert widget is not None
        reached.append(widget)
        widget = widget.nextInFocusChain()
        if widget is e.name:
            break
    assert all(w in reached for w in wanted)
    buddies = [label.buddy() for label in e.findChildren(QLabel) if label.buddy() is not None]
    assert e.name in buddies and e.table in buddies and e.sizes["weight_g"] in buddies


def test_catalog_screen_opens_the_editor_from_the_table(qtbot: QtBot, core: Core) -> None:
    screen = CatalogScreen(core)
    qtbot.addWidget(screen)
    screen.show()
    page = screen.table_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    page.select_rows([0])
    page.edit_button.click()
    assert screen.editor is not None
    qtbot.waitUntil(lambda: screen.editor is not None and screen.editor.name.text() != "")
