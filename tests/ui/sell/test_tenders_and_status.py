"""The shop's own tenders (settings, payment window, split payments) and the unsynced count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.tables import audit_log, sale_tenders, sales
from tests.ui.conftest import make_status
from ui.main_window import MainWindow
from ui.pages.settings import SettingsPage
from ui.sell.context import forget_core, publish_core
from ui.sell.page import SellPage
from ui.sell.payment import PaymentDialog
from ui.sell.receipt_view import ReceiptDialog
from ui.sell.refund_dialog import RefundDialog
from vendor_console.errors import PermissionDenied, ValidationError
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import CASH, Cart, CartLine, Tender
from vendor_console.services.shifts import ShiftService
from vendor_console.services.tenders import TenderService
from vendor_console.services.unsynced import unsynced_sales
from vendor_console.settings import TENDERS, Settings
from vendor_console.tender_config import TenderOption

from .conftest import JAM_CODE, Counter, FakeCore, make_page, scan, sign_in

VOUCHER = TenderOption("Gift voucher", "VOUCHER", opens_drawer=False, needs_reference=True)
CHEQUE = TenderOption("Cheque", "CHEQUE", opens_drawer=True)


def test_tenders_are_checked_saved_by_the_owner_and_audited(counter: Counter) -> None:
    shop = counter.shop
    service = TenderService(shop.db)
    assert service.options() == ()
    with pytest.raises(PermissionDenied):
        service.save(shop.manager, [VOUCHER])
    for bad in ([TenderOption("Cash again", "CASH")], [VOUCHER, VOUCHER],
                [TenderOption("", "X")], [TenderOption("Odd", "9LIVES")]):
        with pytest.raises(ValidationError):
            service.save(shop.owner, bad)
    assert service.options() == ()  # nothing refused was saved
    saved = service.save(shop.owner, [VOUCHER, TenderOption("Bank transfer", "")])
    assert [o.kind for o in saved] == ["VOUCHER", "BANK_TRANSFER"]
    assert service.options() == saved
    with shop.db.read() as conn:
        entry = conn.execute(select(audit_log).where(
            audit_log.c.action == "tenders_changed")).one()
    assert entry.staff_id == shop.owner.staff_id
    # The CLI path (settings set) is checked the same way.
    with pytest.raises(ValidationError):
        Settings(shop.db).set(TENDERS, '[{"name": "Voucher", "kind": "CARD"}]')
    assert service.options() == saved


def test_settings_page_edits_the_tenders(qtbot: QtBot, counter: Counter) -> None:
    shop = counter.shop
    core = FakeCore(shop.db)
    page = SettingsPage()  # built before the shop database is open
    qtbot.addWidget(page)
    page.show()
    tenders = page.tenders
    assert "once the shop database is open" in tenders.status.text()
    publish_core(core)
    try:
        page.show_status(make_status())  # the window's next status refresh
        qtbot.waitUntil(lambda: tenders.loaded)
        tenders.add_row()
        tenders.table.item(0, 0).setText("Gift voucher")  # type: ignore[union-attr]
        tenders.table.item(0, 3).setCheckState(Qt.CheckState.Checked)  # type: ignore[union-attr]
        tenders.save()
        assert "Sign in" in tenders.status.text()  # nobody signed in: nothing saved
        core.signed_in = shop.cashier
        tenders.save()
        qtbot.waitUntil(lambda: "may not change settings" in tenders.status.text())
        core.signed_in = shop.owner
        tenders.save()
        qtbot.waitUntil(lambda: tenders.status.text().startswith("Saved 1 tender"))
        assert TenderService(shop.db).options() == (
            TenderOption("Gift voucher", "GIFT_VOUCHER", False, True),)
        assert tenders.table.item(0, 1).text() == "GIFT_VOUCHER"  # type: ignore[union-attr]
    finally:
        forget_core()


def test_split_payment_across_cash_card_and_a_shop_tender_by_keys(
        qtbot: QtBot, counter: Counter) -> None:
    shop = counter.shop
    TenderService(shop.db).save(shop.owner, [VOUCHER, CHEQUE])
    ShiftService(shop.db).open_shift(shop.manager, 0)
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    page.window().activateWindow()
    for at in (50_000, 60_000, 70_000):
        scan(sell.search.box, JAM_CODE, start_ms=at)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1 and sell.model.item(0).quantity == 3000)
    qtbot.keyClick(sell.search.box, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, PaymentDialog))
    payment = sell.active_dialog
    assert isinstance(payment, PaymentDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is payment)
    labels = [b.text() for b in payment.other_buttons.values()]
    assert labels == ["Gift voucher  (Ctrl+1)", "Cheque  (Ctrl+2)"]
    # 18.00 due: a 5.00 voucher (its number is required), 6.00 by card, the rest in cash.
    qtbot.keyClicks(payment.amount, "5")
    qtbot.keyClick(payment.amount, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert "reference of the gift voucher" in payment.problem.text()
    assert payment.tenders == []
    assert payment.amount.text() == "5"  # what was typed stays
    qtbot.keyClicks(payment.reference, "GV-0042")
    qtbot.keyClick(payment.amount, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert payment.tenders == [Tender("VOUCHER", 500, reference="GV-0042")]
    qtbot.keyClicks(payment.reference, "GV-0043")
    qtbot.keyClicks(payment.amount, "20")  # a voucher cannot pay more than is left
    qtbot.keyClick(payment.amount, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert "at most" in payment.problem.text() and len(payment.tenders) == 1
    for box, text in ((payment.amount, "6"), (payment.reference, "AUTH-1")):
        qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # replace
        qtbot.keyClicks(box, text)
    qtbot.keyClick(payment.amount, Qt.Key.Key_F10)
    assert payment.remaining_label.text() == f"Still to pay: {sell.model.money(700)}"
    first = payment.paid_list.item(0).text()
    assert first == f"Gift voucher  {sell.model.money(500)} · ref GV-0042"
    qtbot.keyClick(payment.amount, Qt.Key.Key_F9)  # cash, exact
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    with shop.db.read() as conn:
        paid = conn.execute(select(sale_tenders.c.kind, sale_tenders.c.amount,
                                   sale_tenders.c.reference)).all()
    assert sorted(paid) == [("CARD", 600, "AUTH-1"), ("CASH", 700, None),
                            ("VOUCHER", 500, "GV-0042")]
    assert sell.drawer_kinds == {CASH, "CHEQUE"}


def test_unsynced_sales_count_in_the_status_bar_after_each_sale(
        qtbot: QtBot, counter: Counter, window: MainWindow) -> None:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 0)
    CheckoutService(shop.db).complete_sale(shop.cashier, Cart((CartLine(counter.jam, 1000),)),
                                           [Tender(CASH, 600)])
    segment = window.shell_status_bar.unsynced
    publish_core(FakeCore(shop.db))
    try:
        window.refresh_status()
        qtbot.waitUntil(lambda: segment.text() == "Unsynced sales: 1")
        assert segment.isVisible()
        host = window.page("sell")
        page = getattr(host, "content", None)
        assert isinstance(page, SellPage)
        qtbot.waitUntil(lambda: page.sign_in is not None and len(page.sign_in.staff) == 3)
        sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
        scan(sell.search.box, JAM_CODE)
        qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
        sell.pay_cash()
        qtbot.waitUntil(lambda: isinstance(sell.active_dialog, PaymentDialog))
        payment = sell.active_dialog
        assert isinstance(payment, PaymentDialog)
        payment.add_cash()
        # The window has no status timer here: the sale itself asked for the refresh.
        qtbot.waitUntil(lambda: segment.text() == "Unsynced sales: 2")
        with shop.db.read() as conn:
            assert len(conn.execute(select(sales.c.id)).all()) == 2
        # Once the marketplace has one, and another failed for good:
        first, second = _outbox_ids(counter)
        shop.db.write(lambda tx: tx.conn.exec_driver_sql(
            "UPDATE outbox SET status = CASE seq WHEN ? THEN 'SENT' ELSE 'DEAD' END "
            "WHERE seq IN (?, ?)", (first, first, second)))
        assert unsynced_sales(shop.db).total == 1
        window.refresh_status()
        qtbot.waitUntil(lambda: segment.text() == "Unsynced sales: 1, 1 failed")
        assert segment.property("state") == "problem"
    finally:
        forget_core()


def _outbox_ids(counter: Counter) -> list[int]:
    with counter.shop.db.read() as conn:
        return list(conn.exec_driver_sql(
            "SELECT seq FROM outbox WHERE resource_type = 'sale' ORDER BY seq").scalars())


def test_a_voucher_sale_is_refunded_to_the_voucher(qtbot: QtBot, counter: Counter) -> None:
    shop = counter.shop
    TenderService(shop.db).save(shop.owner, [VOUCHER])
    ShiftService(shop.db).open_shift(shop.manager, 0)
    sale = CheckoutService(shop.db).complete_sale(
        shop.cashier, Cart((CartLine(counter.jam, 1000),)),
        [Tender("VOUCHER", 600, reference="GV-7")])
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, shop.manager.staff_id, "2222")
    sell.show_refunds()
    dialog = sell.active_dialog
    assert isinstance(dialog, RefundDialog)
    assert any(b.text() == "Refund to the original tender  (F8)"
               for b in dialog.findChildren(QPushButton))
    dialog.find_receipt(sale.receipt_number)
    qtbot.waitUntil(lambda: dialog.sale is not None)
    dialog.select_all()
    dialog.reason.setText("Wrong flavour")
    dialog.submit_original()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    with shop.db.read() as conn:
        back = conn.execute(select(sale_tenders.c.kind, sale_tenders.c.amount,
                                   sale_tenders.c.reference)
                            .join(sales, sales.c.id == sale_tenders.c.sale_id)
                            .where(sales.c.kind == "REFUND")).all()
    assert back == [("VOUCHER", 600, "GV-7")]
