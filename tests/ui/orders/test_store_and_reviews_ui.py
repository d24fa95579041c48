"""Store controls in the window header and the Reviews tab, against the real sandbox: pause
with a reason, busy mode and resume reach the marketplace and show in the header; opening
hours with a mistake are refused and change nothing; reviews are listed with their ratings
and a reply reaches the marketplace."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.sandbox.conftest import Sandbox
from tests.ui.orders.conftest import open_shop, wait_until
from ui.orders.page import OrdersPage
from ui.orders.store_header import StoreHeader
from vendor_console.core import AppCore

# Offscreen Qt says it cannot propagate a shown dialog's size hints: noise, not a problem.
pytestmark = [pytest.mark.qt_no_exception_capture,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_store_controls_in_the_header(loop: asyncio.AbstractEventLoop, core: AppCore,
                                      sandbox: Sandbox, qtbot: Any) -> None:
    async def scenario() -> None:
        shop = await open_shop(core, sandbox, qtbot)
        window = shop.window
        window.show_page("orders")
        await wait_until(lambda: window.findChild(StoreHeader) is not None)
        header = window.findChild(StoreHeader)
        assert isinstance(header, StoreHeader)
        assert header.parent() is not None
        await wait_until(lambda: header.label.text() == "Store: Open")
        assert header.button.text().endswith("(Ctrl+Shift+S)")
        header.open_dialog()
        dialog = header.dialog
        assert dialog is not None
        dialog.reason.setCurrentIndex(dialog.reason.findData("TOO_BUSY"))
        dialog.buttons["pause"].click()
        await wait_until(lambda: "sending" in header.label.text())

        def vendor() -> dict[str, Any]:
            body: dict[str, Any] = shop.vendor.client().get("/vendor").json()
            return body

        await wait_until(lambda: vendor()["pause"]["state"] == "PAUSED")
        header.refresh()
        await wait_until(lambda: header.label.text().startswith("Store: Paused (too busy"))
        dialog.buttons["resume"].click()
        await wait_until(lambda: vendor()["pause"]["state"] == "ONLINE")
        dialog.busy_minutes.setValue(25)
        dialog.buttons["busy"].click()
        await wait_until(lambda: vendor()["busy"]["extra_prep_minutes"] == 25)
        header.refresh()
        await wait_until(lambda: header.label.text() == "Store: Busy: +25 min")
        dialog.hours.setPlainText("mon 09:00-17:30\nfunday 10:00-12:00")
        dialog.buttons["hours"].click()
        await wait_until(lambda: "Line 2" in dialog.outcome.text())
        dialog.hours.setPlainText("mon 09:00-17:30")
        dialog.buttons["hours"].click()
        await wait_until(lambda: [h["day"] for h in vendor()["hours"]] == ["MON"])
        dialog.special.setPlainText("2026-12-24 closed")
        dialog.buttons["special"].click()
        await wait_until(lambda: len(vendor()["special_hours"]) == 1)
        await shop.runner.service.stop()

    loop.run_until_complete(scenario())


def test_reviews_listed_and_replied(loop: asyncio.AbstractEventLoop, core: AppCore,
                                   sandbox: Sandbox, qtbot: Any) -> None:
    async def scenario() -> None:
        shop = await open_shop(core, sandbox, qtbot)
        for rating, text in ((4, "Very good, a little late."), (1, "Order was wrong.")):
            r = sandbox.http.post("/_test/reviews", json={
                "vendor_id": shop.vendor.vendor_id, "rating": rating, "text": text,
                "customer_name": "Keiko N."})
            assert r.status_code == 201, r.text
        page = shop.window.show_page("orders")
        assert isinstance(page, OrdersPage)
        page.sections.setCurrentIndex(1)
        panel = page.reviews
        await wait_until(lambda: panel.model.rowCount() == 2)
        assert panel.summary.text() == "2 reviews, average 2.5 ★"
        ratings = sorted(panel.model.index(r, 0).data() for r in range(2))
        assert ratings == sorted(["★☆☆☆☆", "★★★★☆"])
        row = next(r for r in range(2) if panel.model.reviews[r].rating == 1)
        panel.view.selectRow(row)
        panel.reply.setText("So sorry — we'll refund you.")
        panel.send.click()
        await wait_until(lambda: "sending" in str(panel.model.index(row, 3).data()))
        review_id = panel.model.reviews[row].id

        def reply() -> Any:
            data = shop.vendor.client().get("/reviews").json()["data"]
            return next(r for r in data if r["id"] == review_id).get("reply")

        await wait_until(lambda: reply() is not None)
        assert reply()["text"] == "So sorry — we'll refund you."
        panel.refresh()
        await wait_until(lambda: panel.model.index(row, 3).data()
                         == "So sorry — we'll refund you.")
        await shop.runner.service.stop()

    loop.run_until_complete(scenario())
