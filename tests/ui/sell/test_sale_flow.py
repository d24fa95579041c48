"""At the counter: scan, pay cash, receipt on screen, stock down, the sale queued for sync."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.tables import outbox, sales, stock_levels
from ui.sell.page import SellPage
from ui.sell.payment import PaymentDialog
from ui.sell.receipt_view import ReceiptDialog
from ui.sell.shift_dialogs import ShiftDialog
from vendor_console.services.shifts import ShiftService

from .conftest import BREAD_CODE, JAM_CODE, Counter, scan, sign_in


def on_hand(counter: Counter, variant_id: str) -> int:
    with counter.shop.db.read() as conn:
        value = conn.execute(select(stock_levels.c.on_hand).where(
            stock_levels.c.variant_id == variant_id)).scalar()
    return int(value or 0)


def test_scan_pay_cash_receipt_stock_and_outbox(qtbot: QtBot, page: SellPage,
                                                counter: Counter) -> None:
    shop = counter.shop
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    assert sell.staff_label.text() == "Selling: Cal (cashier)"
    stock_before = on_hand(counter, counter.bread)

    # The wedge works wherever the focus is: here, in the search box.
    scan(sell.search.box, BREAD_CODE)
    scan(sell.search.box, BREAD_CODE, start_ms=60_000)
    scan(sell.search.box, JAM_CODE, start_ms=70_000)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 2 and sell.model.item(0).quantity == 2000)
    assert sell.search.box.text() == ""  # no scanned digit leaked into the search
    assert sell.totals.total.text() == sell.model.money(2 * 450 + 600)

    # No shift yet: "Pay" opens the shift dialog; count a float of 100.00.
    sell.pay_cash()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ShiftDialog))
    shift_dialog = sell.active_dialog
    assert isinstance(shift_dialog, ShiftDialog)
    qtbot.waitUntil(shift_dialog.buttons["open"].isEnabled)
    shift_dialog.ask_open()
    assert shift_dialog.child is not None
    shift_dialog.child.answer("100")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: shift_dialog.shift is not None)
    shift_dialog.reject()

    sell.pay_cash()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, PaymentDialog))
    payment = sell.active_dialog
    assert isinstance(payment, PaymentDialog)
    assert payment.remaining_label.text() == f"Still to pay: {sell.model.money(1500)}"
    twenty = [b for b in payment.quick_buttons
              if b.text() == f"{sell.model.money(2000)}  (Alt+2)"]
    twenty[0].click()  # the customer hands over a 20 note
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    receipt = sell.active_dialog
    assert isinstance(receipt, ReceiptDialog)
    assert receipt.change_label.text() == f"Change: {sell.model.money(500)}"
    qtbot.waitUntil(lambda: receipt.document is not None)
    text = receipt.text.toPlainText()
    assert "Sourdough loaf" in text and "Apricot jam" in text
    assert receipt.document is not None and receipt.document.receipt_number in text
    assert sell.model.rowCount() == 0  # a fresh sale is ready

    with shop.db.read() as conn:
        sale = conn.execute(select(sales)).one()
        queued = conn.execute(select(outbox.c.resource_id).where(
            outbox.c.resource_type == "sale")).scalars().all()
    assert sale.total == 1500 and sale.receipt_number == receipt.document.receipt_number
    assert queued == [sale.id]
    assert on_hand(counter, counter.bread) == stock_before - 2000
    shift = ShiftService(shop.db).current_shift()
    assert shift is not None
    assert ShiftService(shop.db).x_report(shift.id).expected_cash == 10000 + 1500


def test_split_payment_card_then_cash(qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 5000)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    scan(sell.search.box, JAM_CODE)
    scan(sell.search.box, JAM_CODE, start_ms=60_000)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1 and sell.model.item(0).quantity == 2000)
    sell.pay_card()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, PaymentDialog))
    payment = sell.active_dialog
    assert isinstance(payment, PaymentDialog)
    payment.amount.setText("7")
    payment.add_card()  # no terminal reference yet: refused
    assert "reference" in payment.problem.text()
    payment.amount.setText("7")
    payment.reference.setText("AUTH-7781")
    payment.add_card()
    assert payment.remaining_label.text() == f"Still to pay: {sell.model.money(500)}"
    payment.add_cash(1000)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    receipt = sell.active_dialog
    assert isinstance(receipt, ReceiptDialog)
    qtbot.waitUntil(lambda: receipt.document is not None)
    assert "Card (AUTH-7781)" in receipt.text.toPlainText()
    assert receipt.change_label.text() == f"Change: {sell.model.money(500)}"
    with shop.db.read() as conn:
        assert conn.execute(select(sales.c.total)).scalar_one() == 1200


def test_f_keys_drive_the_sale(qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())
    for action, button in sell.buttons.items():
        assert button.height() >= 56, f"{action} is too small to touch"
        assert "F" in button.text() or "Del" in button.text() or "Ctrl" in button.text()
    qtbot.keyClick(sell.search.box, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: sell.active_dialog is not None
                    and sell.active_dialog.objectName() == "helpDialog")
    sell.active_dialog.reject()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: sell.active_dialog is None)
    qtbot.keyClick(sell.search.box, Qt.Key.Key_F9)  # nothing to pay for
    assert sell.notice.text() == "Add an item first."
