"""Counter fixtures: a seeded shop with products, and the Sell page over its database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from local_db.database import Database
from tests.conftest import ShopFixture
from tests.ui.page_fixtures import (  # noqa: F401 (fixture; tests import FakeCore from here)
    FakeCore,
    _workers_done,
    ignore_offscreen_noise,
)
from ui.sell.flows import SellScreen
from ui.sell.page import SellPage
from vendor_console.permissions import Actor
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft

BREAD_CODE = "4006381333931"
JAM_CODE = "5901234123457"


@dataclass(frozen=True)
class Counter:
    shop: ShopFixture
    bread: str  # variant ids
    jam: str
    cheese: str  # sold by the kg, 3 decimals


def _product(catalog: CatalogService, actor: Actor, name: str, price: int, tax: str,
             **variant: object) -> str:
    record = catalog.create_product(actor, ProductDraft(
        name=name, variants=[VariantDraft(price=price, tax_rate_id=tax, **variant)]))  # type: ignore[arg-type]
    return record.variants[0].id


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    ignore_offscreen_noise(items, Path(__file__).parent)


@pytest.fixture
def counter(shop: ShopFixture) -> Counter:
    catalog = CatalogService(shop.db)
    std, red = shop.tax_rate_ids["standard"], shop.tax_rate_ids["reduced"]
    bread = _product(catalog, shop.owner, "Sourdough loaf", 450, red, barcode=BREAD_CODE,
                     sku="BREAD-1")
    jam = _product(catalog, shop.owner, "Apricot jam", 600, std, barcode=JAM_CODE)
    cheese = _product(catalog, shop.owner, "Comté cheese", 2400, red, unit="kg", precision=3)
    return Counter(shop, bread, jam, cheese)


def make_page(qtbot: QtBot, db: Database) -> SellPage:
    page = SellPage(FakeCore(db))
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitUntil(lambda: page.sign_in is not None and len(page.sign_in.staff) == 3)
    return page


@pytest.fixture
def page(qtbot: QtBot, counter: Counter) -> SellPage:
    return make_page(qtbot, counter.shop.db)


def sign_in(qtbot: QtBot, page: SellPage, staff_id: str, pin: str) -> SellScreen:
    assert page.sign_in is not None and page.sell is not None
    assert page.sign_in.choose(staff_id)
    for digit in pin:  # by touch: the PIN pad buttons
        page.sign_in.pin_pad.digit_buttons[digit].click()
    page.sign_in.pin_pad.submit_button.click()
    qtbot.waitUntil(lambda: page.currentWidget() is page.sell)
    return page.sell


def scan(target: QObject, code: str, start_ms: int = 50_000, gap_ms: int = 6) -> None:
    """A keyboard-wedge scanner: the code's keys a few ms apart, then Enter."""
    at = start_ms
    for char in code:
        press(target, Qt.Key(ord(char.upper())), char, at)
        at += gap_ms
    press(target, Qt.Key.Key_Return, "\r", at)


def press(target: QObject, key: Qt.Key, text: str, at_ms: int) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(at_ms)
        QApplication.sendEvent(target, event)
