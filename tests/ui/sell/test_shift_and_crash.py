"""Shift reports on screen, and a sale committed just before the process dies."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from pytestqt.qtbot import QtBot

from local_db.database import Database
from ui.sell.ask import AskDialog
from ui.sell.page import SellPage
from ui.sell.shift_dialogs import ShiftDialog
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import CARD, CASH, Cart, CartLine, Tender
from vendor_console.services.refunds import RefundLine, RefundService
from vendor_console.services.shifts import ShiftService

from .conftest import Counter, sign_in


def test_x_and_z_reports_on_screen(qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    shifts, checkout = ShiftService(shop.db), CheckoutService(shop.db)
    shifts.open_shift(shop.manager, 10_000)  # float 100.00
    cash_sale = checkout.complete_sale(shop.cashier, Cart((CartLine(counter.jam, 2000),)),
                                       [Tender(CASH, 1500)])  # 12.00, change 3.00
    checkout.complete_sale(shop.cashier, Cart((CartLine(counter.bread, 1000),)),
                           [Tender(CARD, 450, reference="T1")])
    RefundService(shop.db).refund(shop.manager, cash_sale.id,
                                  [RefundLine(cash_sale.lines[0].id, 1000)],
                                  [Tender(CASH, 600)], reason="Broken jar")
    shifts.cash_out(shop.manager, 2000, "Window cleaner")

    sell = sign_in(qtbot, page, shop.manager.staff_id, "2222")
    sell.show_shift()
    dialog = sell.active_dialog
    assert isinstance(dialog, ShiftDialog)
    qtbot.waitUntil(lambda: dialog.shift is not None)
    dialog.x_report()
    qtbot.waitUntil(lambda: "X report" in dialog.report.toPlainText())
    fmt = sell.model.money
    x = dialog.report.toPlainText()
    # 100.00 float + 12.00 cash sale − 6.00 cash refund − 20.00 cash out = 86.00
    assert f"Expected in drawer: {fmt(8600)}" in x
    assert f"Net takings: {fmt(1200 + 450 - 600)}" in x
    assert f"Card: {fmt(450)}" in x

    dialog.ask_close()
    assert isinstance(dialog.child, AskDialog)
    dialog.child.answer("85.50")
    qtbot.waitUntil(lambda: "Z report" in dialog.report.toPlainText())
    z = dialog.report.toPlainText()
    assert f"Counted: {fmt(8550)}" in z
    assert f"Difference: {fmt(-50)} (short)" in z
    qtbot.waitUntil(dialog.buttons["open"].isEnabled)  # the shift is closed
    assert shifts.current_shift() is None


def test_cashier_needs_a_manager_for_cash_out(qtbot: QtBot, page: SellPage,
                                              counter: Counter) -> None:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 5000)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.show_shift()
    dialog = sell.active_dialog
    assert isinstance(dialog, ShiftDialog)
    qtbot.waitUntil(lambda: dialog.shift is not None)
    dialog.cash("OUT", "10; milk for the office")
    qtbot.waitUntil(lambda: "may not take cash in or out" in dialog.problem.text())
    from ui.sell.approval import ApprovalDialog

    approval = dialog.child
    assert isinstance(approval, ApprovalDialog)
    qtbot.waitUntil(lambda: approval.who.count() == 2)
    approval.choose(shop.manager.staff_id)
    approval.pin_pad.entry.setText("2222")
    approval.pin_pad.submit()
    qtbot.waitUntil(lambda: "Cash out: −" in dialog.report.toPlainText())
    assert f"Cash out: −{sell.model.money(1000)}" in dialog.report.toPlainText()


CRASH = textwrap.dedent("""
    import os, sys
    from local_db.database import Database
    from vendor_console.services.checkout import CheckoutService
    from vendor_console.services.pricing import CASH, Cart, CartLine, Tender
    from vendor_console.services.staff import StaffService

    db = Database.open(sys.argv[1])
    cashier = StaffService(db).actor(sys.argv[2])
    sale = CheckoutService(db).complete_sale(
        cashier, Cart((CartLine(sys.argv[3], 1000),)), [Tender(CASH, 1000)],
        sale_id=sys.argv[4])
    print(sale.receipt_number, flush=True)
    os._exit(0)  # the power fails right after "Pay": no close, no checkpoint
""")


def test_sale_committed_before_a_crash_is_there_after_restart(
        counter: Counter, db_path: Path) -> None:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 0)
    shop.db.close()
    sale_id = "01938a6e-0000-7000-8000-00000000c0de"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(db_path), shop.cashier.staff_id, counter.jam,
         sale_id],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[3],
        check=False)
    assert done.returncode == 0, done.stderr
    receipt_number = done.stdout.strip()
    reopened = Database.open(db_path)
    try:
        sale = CheckoutService(reopened).get_sale(sale_id)
        assert sale.receipt_number == receipt_number and sale.total == 600
        again = CheckoutService(reopened).find_by_receipt(receipt_number)
        assert again is not None and again.id == sale_id
    finally:
        reopened.close()
