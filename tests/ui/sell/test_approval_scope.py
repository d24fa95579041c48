"""A manager's approval covers the one kind of action it was given for, nothing else."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import ShopFixture
from ui.sell.approval import ApprovalDialog
from ui.sell.page import SellPage
from vendor_console.errors import PermissionDenied
from vendor_console.permissions import Permission, require
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import CASH, Cart, CartLine, Tender
from vendor_console.services.refunds import RefundLine, RefundService
from vendor_console.services.shifts import ShiftService
from vendor_console.services.staff import StaffService

from .conftest import Counter, sign_in


def test_a_discount_approval_does_not_approve_a_refund(counter: Counter) -> None:
    shop: ShopFixture = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 0)
    sale = CheckoutService(shop.db).complete_sale(
        shop.cashier, Cart((CartLine(counter.jam, 1000),)), [Tender(CASH, 600)])
    discount_ok = StaffService(shop.db).approve(shop.manager.staff_id, "2222",
                                                Permission.DISCOUNT_OVER_LIMIT)
    assert require(shop.cashier, Permission.DISCOUNT_OVER_LIMIT, discount_ok) == discount_ok
    for other in (Permission.REFUND, Permission.PRICE_OVERRIDE, Permission.CASH_IN_OUT):
        with pytest.raises(PermissionDenied):
            require(shop.cashier, other, discount_ok)
    refunds = RefundService(shop.db)
    with pytest.raises(PermissionDenied):
        refunds.refund(shop.cashier, sale.id, [RefundLine(sale.lines[0].id, 1000)],
                       [Tender(CASH, 600)], reason="Cracked", approver=discount_ok)
    with pytest.raises(PermissionDenied):  # nor taking cash out of the drawer
        ShiftService(shop.db).cash_out(shop.cashier, 500, "Lunch", approver=discount_ok)
    refund_ok = StaffService(shop.db).approve(shop.manager.staff_id, "2222", Permission.REFUND)
    done = refunds.refund(shop.cashier, sale.id, [RefundLine(sale.lines[0].id, 1000)],
                          [Tender(CASH, 600)], reason="Cracked", approver=refund_ok)
    assert done.approved_by == shop.manager.staff_id


def _approve(qtbot: QtBot, sell: object, shop: ShopFixture) -> None:
    dialog = getattr(sell, "active_dialog", None)
    assert isinstance(dialog, ApprovalDialog)
    qtbot.waitUntil(lambda: dialog.who.count() == 2)
    dialog.choose(shop.manager.staff_id)
    qtbot.keyClicks(dialog.pin_pad.entry, "2222")
    qtbot.keyClick(dialog.pin_pad.entry, Qt.Key.Key_Return)


def test_on_the_sell_screen_each_gated_action_asks_again(
        qtbot: QtBot, page: SellPage, counter: Counter) -> None:
    shop = counter.shop
    sell = sign_in(qtbot, page, shop.cashier.staff_id, "3333")
    sell.add_variant(counter.jam)
    qtbot.waitUntil(lambda: sell.model.rowCount() == 1)
    sell.set_line_discount(0, "50%")
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ApprovalDialog))
    _approve(qtbot, sell, shop)
    qtbot.waitUntil(lambda: sell.approver is not None)
    assert sell.may(Permission.DISCOUNT_OVER_LIMIT)
    assert not sell.may(Permission.PRICE_OVERRIDE) and not sell.may(Permission.REFUND)
    sell.ask_price()  # the discount approval does not let the cashier change a price
    qtbot.waitUntil(lambda: isinstance(sell.active_dialog, ApprovalDialog))
    approval = sell.active_dialog
    assert isinstance(approval, ApprovalDialog)
    assert approval.permission is Permission.PRICE_OVERRIDE
    _approve(qtbot, sell, shop)
    qtbot.waitUntil(lambda: sell.may(Permission.PRICE_OVERRIDE))
    # The same manager's two approvals both hold for this sale.
    assert sell.may(Permission.DISCOUNT_OVER_LIMIT) and not sell.may(Permission.REFUND)
