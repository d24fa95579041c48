"""Parked sales across a restart; refunds by receipt (scanned), limits and permissions."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from local_db.database import Database
from local_db.tables import audit_log, sales
from ui.sell.approval import ApprovalDialog
from ui.sell.ask import AskDialog
from ui.sell.page import SellPage
from ui.sell.parked_dialog import ParkedDialog
from ui.sell.receipt_view import ReceiptDialog
from ui.sell.refund_dialog import RefundDialog
from vendor_console.permissions import Actor
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import CASH, Cart, CartLine, Tender
from vendor_console.services.sale_records import SaleRecord
from vendor_console.services.shifts import ShiftService

from .conftest import Counter, make_page, scan, sign_in


def test_parked_sale_survives_a_restart(qtbot: QtBot, counter: Counter, db_path: Path) -> None:
    shop = counter.shop
    page = make_page(qtbot, shop.db)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.add_variant(counter.bread)
    sell.add_variant(counter.cheese)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, AskDialog))
    sell.active_dialog.answer("0.5")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: sell.model.rowCount() == 2)
    sell.model.update(0, note="Sliced")
    sell.park()
    assert isinstance(sell.active_dialog, AskDialog)
    sell.active_dialog.answer("Mrs Byrne")
    qtbot.waitUntil(sell.model.is_empty)
    page.close()

    # The application restarts: a new database handle and a new window on the same file.
    shop.db.close()
    reopened = Database.open(db_path)
    try:
        page2 = make_page(qtbot, reopened)
        sell2 = sign_in(qtbot, page2, shop.manager.staff_id, "2222")
        sell2.show_parked()
        parked = sell2.active_dialog
        assert isinstance(parked, ParkedDialog)
        qtbot.waitUntil(lambda: parked.loaded)
        assert len(parked.labels()) == 1 and parked.labels()[0].startswith("Mrs Byrne")
        parked.resume_selected()
        qtbot.waitUntil(lambda: sell2.model.rowCount() == 2)
        assert sell2.model.item(0).note == "Sliced"
        assert sell2.model.item(1).quantity == 500
        assert sell2.model.totals is not None and sell2.model.totals.total == 450 + 1200
        sell2.show_parked()
        empty = sell2.active_dialog
        assert isinstance(empty, ParkedDialog)
        qtbot.waitUntil(lambda: empty.loaded)
        assert empty.labels() == []  # resumed: it left the list
        empty.reject()
        page2.close()
    finally:
        from ui import workers

        workers.wait_for_threads()
        qtbot.waitUntil(lambda: workers.pending() == 0)
        reopened.close()


def _sale(counter: Counter, actor: Actor) -> SaleRecord:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 10_000)
    cart = Cart((CartLine(counter.bread, 3000), CartLine(counter.jam, 1000)))
    return CheckoutService(shop.db).complete_sale(actor, cart, [Tender(CASH, 2000)])


def test_cashier_is_denied_a_refund_and_a_manager_approves_it(
        qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    sale = _sale(counter, shop.cashier)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    # Scanning the receipt's barcode on the sell screen opens the refund for it.
    scan(sell.search.box, sale.receipt_number)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, RefundDialog))
    refund = sell.active_dialog
    assert isinstance(refund, RefundDialog)
    assert refund.sale is not None and refund.sale.id == sale.id
    refund.set_refund_quantity(0, "1")
    refund.reason.setText("Stale")
    refund.submit(CASH)
    qtbot.waitUntil(lambda: refund.approval is not None)
    assert "Cal (cashier) may not give refunds" in refund.problem.text()
    approval = refund.approval
    assert isinstance(approval, ApprovalDialog)
    qtbot.waitUntil(lambda: approval.who.count() == 2)
    approval.choose(shop.manager.staff_id)
    approval.pin_pad.entry.setText("2222")
    approval.pin_pad.submit()
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    receipt = sell.active_dialog
    assert isinstance(receipt, ReceiptDialog)
    qtbot.waitUntil(lambda: receipt.document is not None)
    assert "REFUND" in receipt.text.toPlainText()
    assert f"Refund of receipt {sale.receipt_number}" in receipt.text.toPlainText()
    with shop.db.read() as conn:
        row = conn.execute(select(sales).where(sales.c.kind == "REFUND")).one()
        audit = conn.execute(select(audit_log).where(audit_log.c.action == "refund")).one()
    assert row.total == 450 and row.staff_id == shop.cashier.staff_id
    assert audit.approved_by == shop.manager.staff_id


def test_partial_refunds_never_exceed_what_was_sold(qtbot: QtBot, page: SellPage,
                                                    counter: Counter) -> None:
    shop = counter.shop
    sale = _sale(counter, shop.manager)
    sell = sign_in(qtbot, page, shop.manager.staff_id, "2222")
    sell.show_refunds()
    refund = sell.active_dialog
    assert isinstance(refund, RefundDialog)
    scan(refund.receipt, sale.receipt_number)  # the scanner works in the refund dialog too
    qtbot.waitUntil(lambda: refund.sale is not None)
    refund.set_refund_quantity(0, "2")
    refund.reason.setText("Changed mind")
    refund.submit(CASH)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    sell.active_dialog.accept()  # type: ignore[union-attr]

    sell.show_refunds()
    again = sell.active_dialog
    assert isinstance(again, RefundDialog)
    again.find_receipt(sale.receipt_number)
    qtbot.waitUntil(lambda: again.sale is not None)
    cell = again.lines.item(0, 2)
    assert cell is not None and cell.text() == "1"  # refundable: 3 sold, 2 refunded
    again.set_refund_quantity(0, "2")
    again.reason.setText("More")
    again.submit(CASH)
    qtbot.waitUntil(lambda: "can still be refunded" in again.problem.text())
    assert again.problem.text().startswith("Only 1 pc of Sourdough loaf")
    again.select_all()
    again.submit(CASH)
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ReceiptDialog))
    with shop.db.read() as conn:
        totals = conn.execute(select(sales.c.total).where(sales.c.kind == "REFUND")
                              .order_by(sales.c.completed_at)).scalars().all()
    assert totals == [900, 450 + 600]


def test_reprint_any_receipt(qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    sale = _sale(counter, shop.cashier)
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.show_refunds()
    refund = sell.active_dialog
    assert isinstance(refund, RefundDialog)
    refund.find_receipt(sale.receipt_number)
    qtbot.waitUntil(lambda: refund.sale is not None)
    with qtbot.waitSignal(refund.show_receipt):
        refund.reprint()
    shown = [w for w in sell.findChildren(ReceiptDialog) if w.sale_id == sale.id]
    assert shown
    qtbot.waitUntil(lambda: shown[0].document is not None)
    assert sale.receipt_number in shown[0].text.toPlainText()
    shown[0].print_receipt()
    assert shown[0].print_status.text().startswith("No receipt printer is set up")
