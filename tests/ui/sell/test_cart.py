"""The cart: a checked table model, weighed items, notes, discounts, search and tiles."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ui.sell.ask import AskDialog
from ui.sell.cart_model import CartModel
from ui.sell.page import SellPage
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.checkout import CheckoutService, shop_terms
from vendor_console.services.counter_lookup import snapshot

from .conftest import Counter, make_page, sign_in


def test_cart_model_passes_the_model_tester_while_it_changes(
        qtmodeltester: ModelTester, counter: Counter) -> None:
    db = counter.shop.db
    with db.read() as conn:
        terms = shop_terms(conn)
    model = CartModel(terms)
    qtmodeltester.check(model)
    model.add(snapshot(db, counter.bread))
    model.add(snapshot(db, counter.jam))
    model.add(snapshot(db, counter.bread))  # a second scan adds to the line
    model.update(1, note="Gift wrap")
    model.remove(0)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Apricot jam\n  ✎ Gift wrap"
    # The screen's totals are the checkout's quote.
    quote = CheckoutService(db).quote(model.cart())
    assert model.totals is not None and model.totals.total == quote.total == 600


def test_weighed_item_asks_its_quantity_in_kg(qtbot: QtBot, page: SellPage,
                                              counter: Counter) -> None:
    sell = sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
    sell.add_variant(counter.cheese)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, AskDialog))
    ask = sell.active_dialog
    assert isinstance(ask, AskDialog)
    assert "in kg, up to 3 decimals" in ask.prompt.text()
    ask.answer("0.3456")  # four decimals: refused, the quantity stays
    assert "up to 3 decimals" in sell.notice.text()
    assert sell.model.item(0).quantity == 1000
    assert sell.set_quantity(0, "0,250")
    assert sell.model.index(0, 1).data() == "0.250 kg"
    assert sell.model.totals is not None and sell.model.totals.total == 600  # 24.00/kg


def test_sale_discount_and_taxes_per_rate_in_the_totals(qtbot: QtBot, page: SellPage,
                                                        counter: Counter) -> None:
    sell = sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
    sell.add_variant(counter.bread)
    sell.add_variant(counter.jam)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 2)
    assert sell.set_sale_discount("1.05")
    money = sell.model.money
    assert sell.totals.discount.text() == f"−{money(105)}"
    assert sell.totals.total.text() == money(450 + 600 - 105)
    taxes = sell.totals.taxes.text()
    assert "5 % included" in taxes and "20 % included" in taxes
    assert not sell.set_line_discount(0, "5.00")  # more than the line's price
    assert "more than the price" in sell.notice.text()


def test_search_as_you_type_and_category_tiles(qtbot: QtBot, counter: Counter) -> None:
    shop = counter.shop
    catalog = CatalogService(shop.db)
    pantry = catalog.create_category(shop.owner, "Pantry")
    catalog.create_product(shop.owner, ProductDraft(
        name="Wildflower honey", category_id=pantry.id, variants=[VariantDraft(price=850)]))
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    search = sell.search
    qtbot.waitUntil(lambda: [b.text() for b in search.tile_buttons] == ["Pantry"])
    qtbot.keyClicks(search.box, "sourd")
    qtbot.waitUntil(lambda: search.results.count() == 1)
    assert search.searches_run <= 2  # five letters typed at once: at most two searches
    assert search.results.item(0).text().startswith("Sourdough loaf")
    qtbot.keyClick(search.box, "\r")
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    assert search.box.text() == ""
    search.tile_buttons[0].click()
    qtbot.waitUntil(lambda: search.results.count() == 1)
    assert search.results.item(0).text().startswith("Wildflower honey")
    search.results.itemActivated.emit(search.results.item(0))
    qtbot.waitUntil(lambda: sell.model.rowCount() == 2)
