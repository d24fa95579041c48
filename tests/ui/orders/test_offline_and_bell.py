"""Without a network: an order arriving through the mirror (as sync writes it) shows in New
with its countdown; accept and reject are disabled with the reason while offline; the bell
rings once per order however often the order is delivered again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from local_db.rawsql import dbapi
from local_db.writer import Tx
from sync.mirror import Mirror
from sync.wire import Change
from ui.main_window import MainWindow
from ui.orders.page import OrdersPage
from ui.orders.queue import order_queue
from vendor_console.core import AppCore


def order_doc(number: str, version: int = 1) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "id": f"ord_{number}", "number": number, "version": version, "status": "PENDING",
        "accept_by": (now + timedelta(minutes=8)).isoformat(), "acknowledged_at": None,
        "created_at": now.isoformat(),
        "fulfillment": {"type": "PICKUP", "pickup_code": "1234"},
        "customer": {"display_name": "Ana P.", "note": "ring the bell twice"},
        "line_items": [{"product_name": "Rye", "quantity": "2",
                        "unit_price": {"amount": 500, "currency": "EUR"},
                        "total": {"amount": 1000, "currency": "EUR"}}],
        "totals": {"total": {"amount": 1000, "currency": "EUR"}},
    }


def mirror(core: AppCore, doc: dict[str, Any]) -> None:
    def write(tx: Tx) -> None:
        applied = Mirror(dbapi(tx.conn)).apply(
            [Change("", "order.created", "order", doc["id"], doc["version"], doc)])
        tx.changed("order", *applied.orders)

    core.db.write(write)


def test_offline_disables_accept_with_the_reason_and_rings_once(core: AppCore,
                                                                qtbot: Any) -> None:
    window = MainWindow(core.shell_status)
    qtbot.addWidget(window)
    queue = order_queue(window)
    assert queue is not None
    mirror(core, order_doc("A-7"))
    qtbot.waitUntil(lambda: queue.bell.rings == 1)
    page = window.show_page("orders")
    assert isinstance(page, OrdersPage)
    qtbot.waitUntil(lambda: len(page.models["new"].cards) == 1)
    assert "left to accept" in page.models["new"].data(page.models["new"].index(0))
    page.online_override = False
    page.tick()
    accept = page.panel.buttons["accept"]
    assert not accept.isEnabled() and not page.panel.buttons["reject"].isEnabled()
    assert "Offline" in accept.toolTip() and "Offline" in page.panel.why.text()
    assert "Offline" in page.connection.text()
    assert page.panel.buttons["cancel"].toolTip() == "Order A-7 is pending."
    page.online_override = True
    page.tick()
    assert accept.isEnabled() and page.panel.why.text() == ""
    # The same order delivered again, and a newer version of it: no second ring.
    mirror(core, order_doc("A-7"))
    mirror(core, order_doc("A-7", version=2))
    mirror(core, order_doc("A-8"))
    qtbot.waitUntil(lambda: len(page.models["new"].cards) == 2)
    qtbot.waitUntil(lambda: queue.bell.rings == 2)
    queue.reload()
    qtbot.waitUntil(lambda: not queue._loading)
    assert queue.bell.rings == 2
    assert len(queue.bell.tray_messages) == 2  # the window was never in front
