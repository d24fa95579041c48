"""The Inventory page over a real database: adjust with reasons, history, low-stock levels
and view, count sessions by scanning and typing, label sheets as PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.tables import stock_movements
from tests.ui.catalog.conftest import Core, Shelf
from ui.inventory.count_tab import COUNTED
from ui.inventory.label_sheet import paint_label
from ui.inventory.page import InventoryPage
from vendor_console.barcodes import is_in_house
from vendor_console.services.catalog import CatalogService
from vendor_console.services.inventory import InventoryService


def make_page(qtbot: QtBot, core: Core) -> InventoryPage:
    page = InventoryPage(core)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


@pytest.fixture
def inventory_page(qtbot: QtBot, core: Core) -> Iterator[InventoryPage]:
    """Held until after the model tester's clean-up, which still talks to the models."""
    yield make_page(qtbot, core)


def choose(qtbot: QtBot, page: InventoryPage, text: str, name: str) -> None:
    tab = page.stock
    tab.finder.setText(text)
    qtbot.waitUntil(lambda: tab.product is not None and tab.product.name == name)


def test_models_pass_qt_model_tester(qtbot: QtBot, inventory_page: InventoryPage,
                                     qtmodeltester: ModelTester) -> None:
    page = inventory_page
    choose(qtbot, page, "sourdough", "Sourdough loaf")
    qtbot.waitUntil(lambda: page.stock.history.rowCount() == 1)
    qtbot.waitUntil(lambda: page.low_stock.items.rowCount() == 1)
    qtbot.waitUntil(lambda: page.labels.items.rowCount() == 5)
    for model in (page.stock.hits, page.stock.history, page.low_stock.items,
                  page.labels.items, page.counts.lines):
        qtmodeltester.check(model, force_py=True)


def test_adjust_with_a_reason_shows_in_the_history(qtbot: QtBot, core: Core, shelf: Shelf
                                                   ) -> None:
    page = make_page(qtbot, core)
    choose(qtbot, page, "croissant", "Butter croissant")
    tab = page.stock
    assert tab.on_hand.text() == "12 pc"
    tab.reason.setCurrentIndex(tab.reason.findData("damaged"))
    tab.quantity.setText("2")
    tab.note.setText("dropped tray")
    with qtbot.waitSignal(page.ctx.written):
        tab.adjust_button.click()
    qtbot.waitUntil(lambda: tab.on_hand.text() == "10 pc")
    qtbot.waitUntil(lambda: tab.history.rowCount() == 2)
    newest = tab.history.record(0)
    assert (newest.reason, newest.delta, newest.note) == ("damaged", -2000, "dropped tray")
    assert tab.history.index(0, 3).data() == "-2"

    tab.quantity.setText("1.5")  # pieces: refused, nothing written
    tab.adjust_button.click()
    assert "whole numbers" in page.info.text()
    assert len(InventoryService(shelf.shop.db).history(shelf.variants["Butter croissant"])) == 2


def test_low_stock_level_and_view(qtbot: QtBot, core: Core, shelf: Shelf) -> None:
    page = make_page(qtbot, core)
    qtbot.waitUntil(lambda: page.low_stock.items.rowCount() == 1)
    choose(qtbot, page, "croissant", "Butter croissant")
    page.stock.threshold.setText("12")
    with qtbot.waitSignal(page.ctx.written):
        page.stock.threshold_button.click()
    page.tabs.setCurrentWidget(page.low_stock)
    qtbot.waitUntil(lambda: page.low_stock.items.rowCount() == 2)
    names = [i.name for i in page.low_stock.items.records()]
    assert names == ["Sourdough loaf", "Butter croissant"]  # 2 under its level, then at it
    assert page.low_stock.items.index(0, 2).data() == "3 pc"


def test_count_session_by_scanning_and_typing(qtbot: QtBot, core: Core, shelf: Shelf) -> None:
    catalog = CatalogService(shelf.shop.db)
    page = make_page(qtbot, core)
    tab = page.counts
    with qtbot.waitSignal(tab.ctx.written):
        tab.start_button.click()
    qtbot.waitUntil(tab.code.isEnabled)
    for _ in range(2):
        tab.code.setText("bread-1")
        with qtbot.waitSignal(tab.ctx.written):
            qtbot.keyClick(tab.code, Qt.Key.Key_Return)
    sourdough = shelf.variants["Sourdough loaf"]
    qtbot.waitUntil(lambda: tab.line_for(sourdough) is not None
                    and tab.line_for(sourdough).counted == 2000)
    assert tab.lines.index(0, 4).data() == "-1"  # expected 3
    with qtbot.waitSignal(tab.ctx.written):
        assert tab.lines.setData(tab.lines.index(0, COUNTED), "7")
    qtbot.waitUntil(lambda: tab.line_for(sourdough).counted == 7000)
    with qtbot.waitSignal(tab.ctx.written):
        tab.apply_button.click()
    qtbot.waitUntil(lambda: not tab.code.isEnabled())
    with shelf.shop.db.read() as conn:
        kind, counted, expected = conn.execute(
            select(stock_movements.c.kind, stock_movements.c.quantity,
                   stock_movements.c.expected_on_hand)
            .where(stock_movements.c.variant_id == sourdough)
            .order_by(stock_movements.c.occurred_at.desc()).limit(1)).one()
    assert (kind, counted, expected) == ("PHYSICAL_COUNT", 7000, 3000)
    assert catalog.get_product(shelf.products["Sourdough loaf"]).variants[0].on_hand == 7000


def test_label_sheet_pdf_for_items_without_codes(qtbot: QtBot, core: Core, shelf: Shelf,
                                                 tmp_path: Path) -> None:
    page = make_page(qtbot, core)
    tab = page.labels
    qtbot.waitUntil(lambda: tab.items.rowCount() == 5)
    pdf = tmp_path / "labels.pdf"
    with qtbot.waitSignal(page.ctx.written):
        tab.make_labels(pdf)
    qtbot.waitUntil(lambda: tab.items.rowCount() == 0)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(
        b"/Type /Page\r") + data.count(b"/Type /Page ") >= 1
    code = CatalogService(shelf.shop.db).get_product(
        shelf.products["Cherry jam"]).variants[0].barcode
    assert code is not None and is_in_house(code)


def test_a_painted_label_scans_back_to_its_code(qtbot: QtBot, tmp_path: Path) -> None:
    image = QImage(700, 370, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_label(painter, QRectF(0, 0, 700, 370), "Cherry jam", "€6.50", "2000000000022")
    painter.end()
    path = tmp_path / "label.png"
    assert image.save(str(path))
    found = zxingcpp.read_barcodes(Image.open(path))
    assert [(r.text, r.format) for r in found] == [("2000000000022",
                                                    zxingcpp.BarcodeFormat.EAN13)]
