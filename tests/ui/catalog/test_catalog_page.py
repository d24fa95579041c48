"""The Catalog page over a real database: lazy rows, search, filters, inline and bulk edits,
undo and redo, each ending in outbox rows the marketplace will get."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from local_db.database import Database
from local_db.tables import audit_log, outbox, stock_movements
from tests.ui.catalog.conftest import Core, Shelf
from ui.catalog.page import CatalogPage
from ui.catalog.table_model import PAGE, PRICE, STOCK, CatalogTableModel
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_bulk import BulkEdit
from vendor_console.services.catalog_table import CatalogFilter, CatalogTableReads
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.inventory import InventoryService


def make_page(qtbot: QtBot, core: Core) -> CatalogPage:
    page = CatalogPage(core)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def names(page: CatalogPage) -> list[str]:
    model = page.model
    return [r.name for i in range(model.rowCount()) if (r := model.row_record(i)) is not None]


def settle(qtbot: QtBot, page: CatalogPage) -> None:
    qtbot.waitUntil(lambda: page.writes_pending == 0 and not page.model._busy)
    qtbot.waitUntil(lambda: all(page.model.row_record(i) is not None
                                for i in range(page.model.rowCount())))


def product_updates(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(outbox.c.resource_id, outbox.c.payload)
            .where(outbox.c.resource_type == "product", outbox.c.operation == "update")
            .order_by(outbox.c.created_at, outbox.c.id))]


def count_rows(db: Database, table: Any) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def price_of(db: Database, product_id: str) -> int:
    return CatalogService(db).get_product(product_id).variants[0].price


@pytest.fixture
def held_page(qtbot: QtBot, core: Core) -> Iterator[CatalogPage]:
    """Alive until after the model tester's clean-up: a page (and its proxy) destroyed first
    resets the proxy twice while the tester still listens."""
    yield make_page(qtbot, core)


def test_models_pass_qt_model_tester(qtbot: QtBot, held_page: CatalogPage,
                                     qtmodeltester: ModelTester) -> None:
    page = held_page
    settle(qtbot, page)
    qtbot.waitUntil(lambda: page.model.loaded_rows() == page.model.rowCount())
    qtmodeltester.check(page.model, force_py=True)
    qtmodeltester.check(page.proxy, force_py=True)


def test_rows_load_lazily_a_page_at_a_time(qtbot: QtBot, shelf: Shelf) -> None:
    catalog = CatalogService(shelf.shop.db)
    for i in range(3 * PAGE):
        catalog.create_product(shelf.shop.owner, ProductDraft(
            name=f"Biscuit {i:03d}", variants=[VariantDraft(price=100 + i)]))
    model = CatalogTableModel(CatalogTableReads(shelf.shop.db), "EUR", "en_IE")
    seen: list[tuple[int, int, int]] = []
    model.loaded.connect(lambda: seen.append(
        (model.rowCount(), model.loaded_rows(), model.cached_rows())))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_filter(CatalogFilter())
    total = 3 * PAGE + 5
    qtbot.waitUntil(lambda: len(seen) == 2)
    # Opening: first the count and the first page (an index range), painted at once; then
    # the whole order, without a second reset; rows still come a page at a time.
    assert seen == [(total, PAGE, PAGE), (total, total, PAGE)]
    assert resets == [1]
    last = model.index(total - 1, 0)
    assert model.data(last) == "…"  # not loaded yet: asked for, on a worker
    with qtbot.waitSignal(model.rows_arrived):
        pass
    assert model.data(last) == "Sourdough loaf"
    assert model.cached_rows() < total


def test_search_as_you_type_narrows_the_list(qtbot: QtBot, core: Core) -> None:
    page = make_page(qtbot, core)
    assert len(names(page)) == 5
    for text, expected in (("j", {"Apricot jam", "Cherry jam"}), ("ja", {"Apricot jam",
                           "Cherry jam"}), ("jam ch", {"Cherry jam"}), ("bread-1",
                           {"Sourdough loaf"})):
        with qtbot.waitSignal(page.model.loaded):
            page.search.setText(text)
        settle(qtbot, page)
        assert set(names(page)) == expected, text
    assert page.count_label.text() == "1 product"


@pytest.mark.parametrize(("widget", "value", "expected"), [
    ("category", "Pantry", {"Apricot jam", "Cherry jam"}),
    ("tag", "gluten-free", {"Apricot jam", "Cherry jam"}),
    ("visibility", "Hidden", {"Rye bread"}),
    ("availability", "Sold out", {"Apricot jam"}),
])
def test_filters(qtbot: QtBot, core: Core, widget: str, value: str, expected: set[str]
                 ) -> None:
    page = make_page(qtbot, core)
    combo = getattr(page, widget)
    qtbot.waitUntil(lambda: combo.findText(value) >= 0)
    with qtbot.waitSignal(page.model.loaded):
        combo.setCurrentIndex(combo.findText(value))
    settle(qtbot, page)
    assert set(names(page)) == expected


def test_low_stock_filter(qtbot: QtBot, core: Core) -> None:
    page = make_page(qtbot, core)
    with qtbot.waitSignal(page.model.loaded):
        page.low_stock.setChecked(True)
    settle(qtbot, page)
    assert names(page) == ["Sourdough loaf"]
    assert page.model.index(0, STOCK).data() == "3 (low)"


def test_header_click_sorts_by_price_through_the_proxy(qtbot: QtBot, core: Core) -> None:
    page = make_page(qtbot, core)
    header = page.table.horizontalHeader()
    header.setSortIndicator(PRICE, Qt.SortOrder.DescendingOrder)
    with qtbot.waitSignal(page.model.loaded):
        header.sectionClicked.emit(PRICE)
    settle(qtbot, page)
    assert names(page)[:2] == ["Cherry jam", "Apricot jam"]
    assert names(page)[-1] == "Butter croissant"


def test_bulk_price_edit_writes_one_outbox_update_per_product_and_undoes(
    qtbot: QtBot, core: Core, shelf: Shelf
) -> None:
    db = shelf.shop.db
    page = make_page(qtbot, core)
    settle(qtbot, page)
    rows = [names(page).index(n) for n in ("Apricot jam", "Butter croissant")]
    page.select_rows(rows)
    assert set(page.selected_product_ids()) == {shelf.products["Apricot jam"],
                                                shelf.products["Butter croissant"]}
    dialog = page.open_bulk_edit()
    assert dialog is not None
    dialog.price_mode.setCurrentIndex(1)
    dialog.price_value.setText("10")
    dialog.add_tags.setText("local")
    before = len(product_updates(db))
    with qtbot.waitSignal(page.written):
        dialog.buttons.accepted.emit()
    updates = product_updates(db)[before:]
    by_id = {u["resource_id"]: u["payload"] for u in updates}
    apricot = by_id[shelf.products["Apricot jam"]]
    assert apricot["variants"]["update"] == [{
        "id": shelf.variants["Apricot jam"], "client_ref": shelf.variants["Apricot jam"],
        "price": 660}]
    assert apricot["changes"] == {"dietary_tags": ["vegan", "gluten-free", "local"]}
    assert by_id[shelf.products["Butter croissant"]]["variants"]["update"][0]["price"] == 242
    assert len(updates) == 2
    with db.read() as conn:
        entry = conn.execute(select(audit_log.c.action, audit_log.c.details)
                             .order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert entry.action == "catalog_bulk_edit" and entry.details["products"] == 2
    qtbot.waitUntil(lambda: "2.42" in str(page.model.index(rows[1], PRICE).data()))

    with qtbot.waitSignal(page.written):
        page.undo_button.click()
    assert price_of(db, shelf.products["Apricot jam"]) == 600
    assert CatalogService(db).get_product(shelf.products["Apricot jam"]).dietary_tags == (
        "vegan", "gluten-free")
    assert len(product_updates(db)) == before + 4  # the undo is synced too
    with qtbot.waitSignal(page.written):
        page.redo_button.click()
    assert price_of(db, shelf.products["Butter croissant"]) == 242


def test_bulk_edit_that_breaks_a_product_changes_nothing(qtbot: QtBot, core: Core,
                                                         shelf: Shelf) -> None:
    db = shelf.shop.db
    page = make_page(qtbot, core)
    settle(qtbot, page)
    before = count_rows(db, outbox)
    ids = [shelf.products["Apricot jam"], shelf.products["Cherry jam"]]
    rows = [names(page).index(n) for n in ("Apricot jam", "Cherry jam")]
    # Cherry jam's compare-at price (7.00) would fall below its new price.
    with qtbot.waitSignal(page.written):
        page.apply_bulk_edit([page.model.rowid(r) for r in rows],
                             BulkEdit(price_percent=Decimal(10)))
    assert "compare-at price of Cherry jam" in page.info.text()
    assert count_rows(db, outbox) == before
    assert price_of(db, ids[0]) == 600
    assert not page.undo_stack.canUndo()


def test_inline_price_edit_and_undo(qtbot: QtBot, core: Core, shelf: Shelf) -> None:
    db = shelf.shop.db
    page = make_page(qtbot, core)
    settle(qtbot, page)
    row = names(page).index("Butter croissant")
    index = page.proxy.index(row, PRICE)
    assert page.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(page.written):
        assert page.proxy.setData(index, "2,50")
    assert price_of(db, shelf.products["Butter croissant"]) == 250
    assert product_updates(db)[-1]["payload"]["variants"]["update"][0]["price"] == 250
    with qtbot.waitSignal(page.written):
        qtbot.keyClick(page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert price_of(db, shelf.products["Butter croissant"]) == 220
    qtbot.waitUntil(lambda: "2.20" in str(page.model.index(row, PRICE).data()))


def test_inline_edit_refuses_bad_text_and_changes_nothing(qtbot: QtBot, core: Core,
                                                          shelf: Shelf) -> None:
    page = make_page(qtbot, core)
    settle(qtbot, page)
    before = count_rows(shelf.shop.db, outbox)
    row = names(page).index("Butter croissant")
    with qtbot.waitSignal(page.model.edit_refused):
        assert not page.proxy.setData(page.proxy.index(row, PRICE), "two euro")
    assert "is not an amount of money" in page.info.text()
    assert count_rows(shelf.shop.db, outbox) == before


def test_inline_stock_edit_is_a_physical_count_and_undoes(qtbot: QtBot, core: Core,
                                                          shelf: Shelf) -> None:
    db = shelf.shop.db
    page = make_page(qtbot, core)
    settle(qtbot, page)
    row = names(page).index("Butter croissant")
    variant = shelf.variants["Butter croissant"]
    with qtbot.waitSignal(page.written):
        assert page.proxy.setData(page.proxy.index(row, STOCK), "9")
    with db.read() as conn:
        kind, expected, counted = conn.execute(
            select(stock_movements.c.kind, stock_movements.c.expected_on_hand,
                   stock_movements.c.quantity)
            .where(stock_movements.c.variant_id == variant)
            .order_by(stock_movements.c.occurred_at.desc()).limit(1)).one()
    assert (kind, expected, counted) == ("PHYSICAL_COUNT", 12000, 9000)
    with qtbot.waitSignal(page.written):
        page.undo_button.click()
    assert InventoryService(db).on_hand(variant) == 12000


def test_edits_need_someone_signed_in(qtbot: QtBot, core: Core, shelf: Shelf) -> None:
    core.signed_in = None
    page = make_page(qtbot, core)
    settle(qtbot, page)
    before = count_rows(shelf.shop.db, outbox)
    page.proxy.setData(page.proxy.index(0, PRICE), "1")
    assert "Sign in" in page.info.text()
    assert count_rows(shelf.shop.db, outbox) == before


def test_changes_made_elsewhere_show_up(qtbot: QtBot, core: Core, shelf: Shelf) -> None:
    page = make_page(qtbot, core)
    settle(qtbot, page)
    with qtbot.waitSignal(page.model.loaded):
        page.search.setText("alm")  # nothing yet: the cached match for "alm" must not stay
    settle(qtbot, page)
    assert names(page) == []
    with qtbot.waitSignal(page.model.loaded):
        CatalogService(shelf.shop.db).create_product(shelf.shop.owner, ProductDraft(
            name="Almond cake", variants=[VariantDraft(price=900)]))
    settle(qtbot, page)
    assert names(page) == ["Almond cake"]
    with qtbot.waitSignal(page.model.loaded):
        page.search.clear()
    settle(qtbot, page)
    assert "Almond cake" in names(page) and len(names(page)) == 6
