"""A whole day at the till with the keyboard only: key events, no mouse, no method calls.

Open the shift, sell by scan and by search, split a payment, park and resume, refund part of
a sale, cash in and out, X report, Z report. Every key is sent to whatever has the focus, so
the test also shows that focus lands where the next key is expected. Every button of every
window met on the way shows its key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from local_db.tables import parked_sales, sale_tenders, sales
from ui.sell.ask import AskDialog
from ui.sell.page import SellPage
from ui.sell.parked_dialog import ParkedDialog
from ui.sell.payment import PaymentDialog
from ui.sell.pin_pad import PinPad
from ui.sell.receipt_view import ReceiptDialog
from ui.sell.refund_dialog import RefundDialog
from ui.sell.shift_dialogs import ShiftDialog
from ui.wedge import _monotonic_ms

from .conftest import BREAD_CODE, JAM_CODE, Counter, scan

D = TypeVar("D", bound=QDialog)
KEY_SHOWN = re.compile(r"(\(|\n)(Esc|Enter|Del|(Ctrl\+|Alt\+|Shift\+)?(F\d+|[A-Z0-9]|Del))\)?$")
_NAMED = {"\r": Qt.Key.Key_Return, " ": Qt.Key.Key_Space, ";": Qt.Key.Key_Semicolon,
          "-": Qt.Key.Key_Minus, ".": Qt.Key.Key_Period}


def keys_shown(window: QWidget) -> list[str]:
    """Buttons of ``window`` that do not show their key (PIN-pad digits are typed)."""
    return [b.text() for b in window.findChildren(QPushButton)
            if b.isVisible() and not isinstance(b.parent(), PinPad)
            and not KEY_SHOWN.search(b.text())]


class Keyboard:
    """Keys to the focus widget; text typed at a person's pace (200 ms apart on the key
    events' own clock), so the scanner detection lets it through as typing."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.clock = _monotonic_ms() + 60_000

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget() or QApplication.activeWindow()
        assert widget is not None, "nothing has the keyboard"
        return widget

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
            ) -> None:
        self.qtbot.keyClick(self.focus(), key, modifier)

    def type(self, text: str) -> None:
        for char in text:
            key = _NAMED.get(char) or Qt.Key(ord(char.upper()))
            target = self.focus()
            self.clock += 200
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
                event.setTimestamp(self.clock)
                QApplication.sendEvent(target, event)


def test_a_whole_day_by_keyboard(qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop, kb = counter.shop, Keyboard(qtbot)
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())
    assert page.sign_in is not None and page.sell is not None
    sell = page.sell
    fmt = sell.model.money
    met: dict[str, list[str]] = {}

    def active(kind: type[D]) -> D:
        qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), kind))
        window = QApplication.activeWindow()
        assert isinstance(window, kind)
        met[kind.__name__] = keys_shown(window)
        return window

    def back_to_sale() -> None:
        qtbot.waitUntil(lambda: sell.active_dialog is None
                        and QApplication.focusWidget() is sell.search.box)

    def done_receipt() -> ReceiptDialog:
        receipt = active(ReceiptDialog)
        assert isinstance(receipt, ReceiptDialog)
        qtbot.waitUntil(lambda: receipt.document is not None)
        kb.key(Qt.Key.Key_Return)  # Done
        back_to_sale()
        return receipt

    def when(condition: Callable[[], bool]) -> None:
        qtbot.waitUntil(condition)

    # Sign in: Alt+2 picks Maya (manager), then her PIN and Enter.
    qtbot.waitUntil(lambda: len(page.sign_in.names.buttons()) == 3)  # type: ignore[union-attr]
    met["SignInScreen"] = keys_shown(page.sign_in)
    kb.key(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    when(lambda: page.sign_in is not None and page.sign_in.chosen_id() == shop.manager.staff_id)
    kb.type("2222\r")
    when(lambda: page.currentWidget() is sell)
    met["SellScreen"] = keys_shown(sell)

    # Open the shift: F12, F2, the float, Enter; Esc back to the sale.
    kb.key(Qt.Key.Key_F12)
    shift = active(ShiftDialog)
    assert isinstance(shift, ShiftDialog)
    when(shift.buttons["open"].isEnabled)
    kb.key(Qt.Key.Key_F2)
    active(AskDialog)
    kb.type("100\r")
    when(lambda: shift.shift is not None)
    when(lambda: QApplication.activeWindow() is shift)
    kb.key(Qt.Key.Key_Escape)
    back_to_sale()

    # Sale 1: a loaf by scan, jam by search; cash, exact (F9 twice).
    scan(kb.focus(), BREAD_CODE, start_ms=kb.clock + 1000)
    kb.clock += 2000
    when(lambda: sell.model.rowCount() == 1)
    kb.type("apricot")
    when(lambda: sell.search.results.count() > 0 and not sell.search.searching())
    kb.type("\r")
    when(lambda: sell.model.rowCount() == 2)
    assert sell.totals.total.text() == fmt(1050)
    kb.key(Qt.Key.Key_F9)
    active(PaymentDialog)
    kb.key(Qt.Key.Key_F9)
    first = done_receipt()
    assert first.document is not None
    first_receipt = first.document.receipt_number

    # Sale 2: jam, split: 2.00 on the card (F10: the reference has the keys), rest in cash.
    scan(kb.focus(), JAM_CODE, start_ms=kb.clock + 1000)
    kb.clock += 2000
    when(lambda: sell.model.rowCount() == 1)
    kb.key(Qt.Key.Key_F10)
    payment = active(PaymentDialog)
    assert isinstance(payment, PaymentDialog)
    when(lambda: QApplication.focusWidget() is payment.reference)
    kb.type("AUTH-9")
    kb.key(Qt.Key.Key_Backtab)  # to the amount
    kb.type("2")
    kb.key(Qt.Key.Key_F10)
    when(lambda: payment.remaining_label.text() == f"Still to pay: {fmt(400)}")
    kb.key(Qt.Key.Key_F9)
    done_receipt()

    # Park a loaf (F8, a name, Enter), bring it back (F7, Enter), pay cash.
    scan(kb.focus(), BREAD_CODE, start_ms=kb.clock + 1000)
    kb.clock += 2000
    when(lambda: sell.model.rowCount() == 1)
    kb.key(Qt.Key.Key_F8)
    active(AskDialog)
    kb.type("Table 4\r")
    when(lambda: sell.model.rowCount() == 0)
    back_to_sale()
    kb.key(Qt.Key.Key_F7)
    parked = active(ParkedDialog)
    assert isinstance(parked, ParkedDialog)
    when(lambda: parked.list.count() == 1 and QApplication.focusWidget() is parked.list)
    kb.key(Qt.Key.Key_Return)
    when(lambda: sell.model.rowCount() == 1)
    back_to_sale()
    kb.key(Qt.Key.Key_F9)
    active(PaymentDialog)
    kb.key(Qt.Key.Key_F9)
    done_receipt()

    # Refund the loaf of sale 1 (one line of two): F11, the receipt number, 1, reason, F9.
    kb.key(Qt.Key.Key_F11)
    refund = active(RefundDialog)
    assert isinstance(refund, RefundDialog)
    kb.type(first_receipt + "\r")
    when(lambda: refund.sale is not None and QApplication.focusWidget() is refund.lines)
    kb.type("1\r")
    kb.key(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    kb.type("Stale")
    kb.key(Qt.Key.Key_F9)
    done_receipt()

    # Cash in 20 and out 5 (F12, F4 / F5, "amount; reason", Enter), X report (F3).
    kb.key(Qt.Key.Key_F12)
    shift = active(ShiftDialog)
    assert isinstance(shift, ShiftDialog)
    when(lambda: shift.shift is not None)
    kb.key(Qt.Key.Key_F4)
    active(AskDialog)
    kb.type("20; change from the bank\r")
    when(lambda: f"Cash in: {fmt(2000)}" in shift.report.toPlainText())
    when(lambda: QApplication.activeWindow() is shift)
    kb.key(Qt.Key.Key_F5)
    active(AskDialog)
    kb.type("5; milk\r")
    when(lambda: f"Cash out: −{fmt(500)}" in shift.report.toPlainText())
    when(lambda: QApplication.activeWindow() is shift)
    shift.report.clear()
    kb.key(Qt.Key.Key_F3)
    when(lambda: "X report" in shift.report.toPlainText())
    # 100 float + 10.50 + 4.00 + 4.50 cash sales − 4.50 refund + 20 in − 5 out = 129.50
    assert f"Expected in drawer: {fmt(12950)}" in shift.report.toPlainText()

    # Z report: F6, the counted cash, Enter.
    kb.key(Qt.Key.Key_F6)
    active(AskDialog)
    kb.type("129.50\r")
    when(lambda: "Z report" in shift.report.toPlainText())
    z = shift.report.toPlainText()
    assert f"Counted: {fmt(12950)}" in z and f"Difference: {fmt(0)} (exact)" in z
    when(shift.buttons["open"].isEnabled)
    kb.key(Qt.Key.Key_Escape)
    back_to_sale()

    with shop.db.read() as conn:
        kinds = conn.execute(select(sales.c.kind, func.count()).group_by(sales.c.kind)).all()
        card = conn.execute(select(sale_tenders.c.amount, sale_tenders.c.reference).where(
            sale_tenders.c.kind == "CARD")).all()
        still_parked = conn.execute(select(func.count()).select_from(parked_sales)).scalar()
    assert sorted(kinds) == [("REFUND", 1), ("SALE", 3)]
    assert card == [(200, "AUTH-9")] and still_parked == 0
    assert {name: missing for name, missing in met.items() if missing} == {}
    assert set(met) >= {"SignInScreen", "SellScreen", "ShiftDialog", "AskDialog", "PaymentDialog",
                        "ReceiptDialog", "ParkedDialog", "RefundDialog"}
