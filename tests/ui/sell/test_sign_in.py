"""Sign-in with a PIN (keyboard and touch), failed attempts, idle lock, manager approval."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.tables import audit_log
from ui.sell.approval import ApprovalDialog
from ui.sell.ask import AskDialog
from ui.sell.page import SellPage

from .conftest import Counter, FakeCore, make_page, sign_in


def test_keyboard_sign_in_and_failed_attempts_are_shown_and_audited(
        qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    assert page.sign_in is not None
    names = [b.text() for b in page.sign_in.names.buttons()]
    assert names == ["Cal  ·  cashier  (Alt+1)", "Maya  ·  manager  (Alt+2)",
                     "Olive  ·  owner  (Alt+3)"]
    page.sign_in.choose(counter.shop.cashier.staff_id)
    pad = page.sign_in.pin_pad
    qtbot.keyClicks(pad.entry, "9999")
    qtbot.keyClick(pad.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong PIN" in page.sign_in.problem.text())  # type: ignore[union-attr]
    assert page.sign_in.problem.text() == "Wrong PIN. 4 attempt(s) left."
    assert pad.entry.text() == ""
    assert page.currentWidget() is page.sign_in
    with counter.shop.db.read() as conn:
        actions = conn.execute(select(audit_log.c.action)).scalars().all()
    assert "sign_in_failed" in actions
    qtbot.keyClicks(pad.entry, "3333")
    qtbot.keyClick(pad.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.currentWidget() is page.sell)
    assert isinstance(page.core, FakeCore) and page.core.signed_in is not None
    assert page.core.signed_in.name == "Cal"


def test_the_till_locks_when_idle_and_keeps_the_sale(
        qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    sell = sign_in(qtbot, page, counter.shop.cashier.staff_id, "3333")
    assert page.idle is not None
    assert page.idle.timer.interval() == 300_000  # counter.idle_lock_seconds default
    sell.add_variant(counter.jam)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    page.idle.set_interval_ms(30)  # rather than waiting five minutes
    page.idle.start()
    qtbot.waitUntil(page.is_locked)
    page.idle.set_interval_ms(300_000)  # so it cannot lock again while we look after unlocking
    assert page.sign_in is not None
    assert "Locked after no activity" in page.sign_in.heading.text()
    assert page.sign_in.chosen_id() == counter.shop.cashier.staff_id  # only the PIN to type
    for digit in "3333":
        page.sign_in.pin_pad.digit_buttons[digit].click()
    page.sign_in.pin_pad.submit_button.click()
    qtbot.waitUntil(lambda: page.currentWidget() is sell)
    assert sell.model.rowCount() == 1


def test_idle_time_comes_from_the_setting(qtbot: QtBot, counter: Counter) -> None:
    from vendor_console.settings import IDLE_LOCK_SECONDS, Settings

    Settings(counter.shop.db).set(IDLE_LOCK_SECONDS, 45)
    page = make_page(qtbot, counter.shop.db)
    assert page.idle is not None and page.idle.timer.interval() == 45_000


def test_discount_over_the_cashier_limit_needs_a_manager_pin(
        qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.add_variant(counter.jam)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    assert sell.set_line_discount(0, "10%")  # within the cashier's 10 %
    assert sell.model.totals is not None and sell.model.totals.discount_total == 60
    sell.set_line_discount(0, "50%")
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ApprovalDialog))
    dialog = sell.active_dialog
    assert isinstance(dialog, ApprovalDialog)
    assert sell.model.totals.discount_total == 60  # not applied before approval
    qtbot.waitUntil(lambda: dialog.who.count() == 2)
    dialog.choose(shop.cashier.staff_id)  # a cashier is not offered
    assert dialog.who.currentIndex() == -1
    dialog.choose(shop.manager.staff_id)
    qtbot.keyClicks(dialog.pin_pad.entry, "1234")
    qtbot.keyClick(dialog.pin_pad.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong PIN" in dialog.problem.text())
    qtbot.keyClicks(dialog.pin_pad.entry, "2222")
    qtbot.keyClick(dialog.pin_pad.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sell.approver is not None)
    assert sell.approver is not None and sell.approver.name == "Maya"
    assert sell.model.totals is not None and sell.model.totals.discount_total == 300
    assert sell.notice.text() == "Approved by Maya."


def test_price_override_needs_permission_and_remove_line_is_audited(
        qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.add_variant(counter.bread)
    sell.add_variant(counter.jam)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 2)
    sell.table.selectRow(0)
    sell.ask_price()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ApprovalDialog))
    approval = sell.active_dialog
    assert isinstance(approval, ApprovalDialog)
    qtbot.waitUntil(lambda: approval.who.count() == 2)
    approval.choose(shop.owner.staff_id)
    qtbot.keyClicks(approval.pin_pad.entry, "1111")
    qtbot.keyClick(approval.pin_pad.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, AskDialog))
    ask = sell.active_dialog
    assert isinstance(ask, AskDialog)
    ask.answer("3.99")
    assert sell.model.item(0).unit_price == 399
    assert "(changed)" in sell.model.index(0, 2).data()

    sell.table.selectRow(1)
    sell.remove_line()
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    assert sell.notice.text() == "Removed Apricot jam."
    with shop.db.read() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "void_line")).one()
    assert entry.staff_id == shop.cashier.staff_id
    assert entry.details["name"] == "Apricot jam" and entry.details["amount"] == 600


def test_the_page_waits_for_the_core_then_offers_sign_in(
        qtbot: QtBot, counter: Counter, window: object) -> None:
    from ui.main_window import MainWindow
    from ui.pages.core_host import CoreHost
    from ui.sell.context import forget_core, publish_core

    assert isinstance(window, MainWindow)
    host = window.page("sell")
    assert isinstance(host, CoreHost)
    assert host.content is None and host.waiting.text() == "Opening the shop database…"
    publish_core(FakeCore(counter.shop.db))  # what the start-up worker does once it is open
    try:
        window.refresh_status()
        page = host.content
        assert isinstance(page, SellPage)
        qtbot.waitUntil(lambda: page.sign_in is not None and len(page.sign_in.staff) == 3)
        assert page.isVisible() and page.currentWidget() is page.sign_in
    finally:
        forget_core()
