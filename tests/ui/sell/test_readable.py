"""Touch targets, reading at arm's length, and the dark theme on the Sell screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from ui.sell.page import SellPage
from ui.sell.payment import PaymentDialog
from ui.sell.pin_pad import TOUCH
from ui.sell.style import _COLOURS, counter_stylesheet
from ui.theme import apply_theme, current_theme
from vendor_console.services.shifts import ShiftService
from vendor_console.tender_config import TenderOption

from .conftest import Counter, make_page, sign_in


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_counter_colours_are_readable_in_both_themes(theme: str) -> None:
    colours = _COLOURS[theme]
    assert contrast(colours["text"], colours["base"]) >= 7  # WCAG AAA: totals, cart lines
    for pair in (("muted", "base"), ("problem", "base"), ("accent_text", "accent"),
                 ("muted", "header")):
        assert contrast(colours[pair[0]], colours[pair[1]]) >= 4.5, pair


@pytest.fixture
def dark() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = current_theme(app)
    apply_theme(app, "dark")
    yield
    if before is not None:
        apply_theme(app, before)
    else:
        app.setStyleSheet("")


@pytest.mark.usefixtures("dark")
def test_dark_theme_big_total_and_touch_targets(qtbot: QtBot, counter: Counter) -> None:
    shop = counter.shop
    page = make_page(qtbot, shop.db)
    assert page.styleSheet() == counter_stylesheet("dark")
    assert page.sign_in is not None
    assert [b.text() for b in page.sign_in.findChildren(QPushButton)
            if b.height() < TOUCH - 8] == []
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.add_variant(counter.jam)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    total = sell.totals.total
    assert total.font().pointSizeF() >= 24  # the total reads from across the counter
    assert sell.table.font().pointSizeF() >= 14  # cart lines too
    assert total.palette().color(total.foregroundRole()).name() == _COLOURS["dark"]["text"]
    small = [b.text() for b in sell.findChildren(QPushButton) if b.height() < TOUCH - 8]
    assert small == []
    ShiftService(shop.db).open_shift(shop.manager, 0)
    sell.pay_cash()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, PaymentDialog))
    payment = sell.active_dialog
    assert isinstance(payment, PaymentDialog)
    assert [b.text() for b in payment.findChildren(QPushButton) if b.isVisible()
            and b.height() < TOUCH - 8] == []


def test_shop_tenders_are_touch_sized(qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    from vendor_console.services.checkout import ShopTerms

    terms = ShopTerms("EUR", "en_IE", True, 1, "T1")
    dialog = PaymentDialog(terms, 1000, page, [TenderOption("Gift voucher", "VOUCHER")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.other_buttons["VOUCHER"].height() >= TOUCH - 8
