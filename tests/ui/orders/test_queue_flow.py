"""The order queue against the real sandbox and its simulated customers: a new order appears
in New, rings once (never twice) and is acknowledged; accept → preparing → ready → complete by
keyboard reaches the marketplace; a customer's cancel racing the accept is shown with the
marketplace's explanation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.sandbox.conftest import Sandbox
from tests.ui.orders.conftest import open_shop, wait_until
from ui.orders.page import OrdersPage
from ui.orders.queue import order_queue
from vendor_console.core import AppCore

pytestmark = pytest.mark.qt_no_exception_capture

ALT = Qt.KeyboardModifier.AltModifier


def lane_ids(page: OrdersPage, lane: str) -> list[str]:
    return [c.remote_id for c in page.models[lane].cards]


def test_new_order_rings_once_and_is_worked_to_completion_by_keyboard(
        loop: asyncio.AbstractEventLoop, core: AppCore, sandbox: Sandbox, qtbot: Any) -> None:
    async def scenario() -> None:
        shop = await open_shop(core, sandbox, qtbot)
        window = shop.window
        page = window.show_page("orders")
        assert isinstance(page, OrdersPage)
        queue = order_queue(window)
        assert queue is not None
        order = shop.place(fulfillment_type="PICKUP", note="no nuts please")
        await wait_until(lambda: order["id"] in lane_ids(page, "new"))
        assert queue.bell.rings == 1
        # The window is not in front: a tray message says so too.
        assert queue.bell.tray_messages == [f"New order {order['number']} from "
                                            f"{order['customer']['display_name']}"]
        # Shown on the till = acknowledged to the marketplace.
        await wait_until(lambda: shop.server_order(order["id"])["acknowledged_at"] is not None)
        # The same order again (a replayed feed page, a reload): no second ring.
        queue.reload()
        queue.reload()
        await asyncio.sleep(0.3)
        shop.runner.sync_now()
        await wait_until(lambda: not queue._loading)
        assert queue.bell.rings == 1
        assert page.tabs.tabText(0) == "New (1)"

        # Detail: customer note, dietary tags, fulfillment, countdown from server time.
        card = page.models["new"].cards[0]
        page.select(card.id)
        assert page.detail.fields["note"].text() == "no nuts please"
        assert page.detail.fields["dietary"].text() == "vegan"
        assert page.detail.fields["fulfillment"].text().startswith("Pickup")
        assert "left to accept" in page.detail.countdown.text()

        window.show()
        window.activateWindow()
        await wait_until(lambda: QApplication.activeWindow() is window)
        await wait_until(page.online)
        page.panel.prep_minutes.setValue(12)
        steps = (("accept", Qt.Key.Key_A, "CONFIRMED", "accepted"),
                 ("start-preparing", Qt.Key.Key_P, "PREPARING", "preparing"),
                 ("mark-ready", Qt.Key.Key_Y, "READY", "ready"))
        for action, key_, server_status, lane in steps:
            button = page.panel.buttons[action]
            await wait_until(button.isEnabled)
            assert button.text().endswith(f"(Alt+{key_.name[-1]})")
            qtbot.keyClick(page, key_, ALT)

            def reached(status: str = server_status) -> bool:
                return bool(shop.server_order(order["id"])["status"] == status)

            def in_lane(key: str = lane) -> bool:
                return order["id"] in lane_ids(page, key)

            await wait_until(reached)
            await wait_until(in_lane)
            page.select(card.id)
        placed = shop.server_order(order["id"])
        assert placed["fulfillment"]["estimated_ready_at"] is not None
        # Complete needs the pickup code: a wrong one changes nothing.
        page.panel.pickup_code.setText("wrong")
        qtbot.keyClick(page, Qt.Key.Key_C, ALT)
        await wait_until(lambda: "does not match" in page.message.text())
        assert shop.server_order(order["id"])["status"] == "READY"
        page.panel.pickup_code.setFocus()
        page.panel.pickup_code.clear()
        qtbot.keyClicks(page.panel.pickup_code, order["fulfillment"]["pickup_code"])
        qtbot.keyClick(page, Qt.Key.Key_C, ALT)
        await wait_until(lambda: shop.server_order(order["id"])["status"] == "COMPLETED")
        await wait_until(lambda: order["id"] in lane_ids(page, "done"))
        assert queue.bell.rings == 1
        await shop.runner.service.stop()

    loop.run_until_complete(scenario())


def test_customer_cancel_racing_the_accept_is_reverted_with_the_explanation(
        loop: asyncio.AbstractEventLoop, core: AppCore, sandbox: Sandbox, qtbot: Any) -> None:
    async def scenario() -> None:
        shop = await open_shop(core, sandbox, qtbot)
        page = shop.window.show_page("orders")
        assert isinstance(page, OrdersPage)
        order = shop.place(fulfillment_type="DELIVERY")
        await wait_until(lambda: order["id"] in lane_ids(page, "new"))
        page.select(page.models["new"].cards[0].id)
        assert "Deliver to" in page.detail.fields["fulfillment"].text()
        await wait_until(page.online)
        # The customer cancels just before the till's accept reaches the marketplace.
        shop.faults.add("customer_cancel_race", "POST", "/accept", times=1)
        await wait_until(page.panel.buttons["accept"].isEnabled)
        page.panel.buttons["accept"].click()
        await wait_until(lambda: shop.server_order(order["id"])["status"] == "CANCELLED")
        await wait_until(lambda: order["id"] in lane_ids(page, "cancelled"))
        await wait_until(lambda: "Could not accept" in page.message.text())
        assert "cancelled" in page.message.text().lower()
        page.select(page.models["cancelled"].cards[0].id)
        assert "Could not accept" in page.detail.explanation.text()
        assert page.dismiss.isVisible() or not page.isVisible()
        page.dismiss.click()
        await wait_until(lambda: page.snapshot is not None and not page.snapshot.explanations)
        await shop.runner.service.stop()

    loop.run_until_complete(scenario())
