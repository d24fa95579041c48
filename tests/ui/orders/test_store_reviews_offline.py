"""Reviews and the store's state from the local mirror, against the real sandbox: sync brings
them; with the sandbox stopped (offline) a freshly opened window still shows the store's state
in its header and the reviews in the Reviews tab; a reply typed offline is queued, shows as
sending, and reaches the marketplace once the sandbox is back (on the same port and data)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from tests.sandbox.conftest import (
    free_port,
    fresh_database_url,
    key,
    running_sandbox,
    sandbox_settings,
)
from tests.ui.orders.conftest import open_shop, wait_until
from ui.main_window import MainWindow
from ui.orders.page import OrdersPage
from ui.orders.store_header import StoreHeader
from vendor_console.core import AppCore
from vendor_console.services.store_mirror import read_reviews, read_store

pytestmark = [pytest.mark.qt_no_exception_capture,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

REPLY = "Sorry, we will pack it better next time."
BACK_ONLINE_S = 120.0  # the engine's backoff after an outage is capped at 30 s


def header_of(window: MainWindow) -> StoreHeader:
    header = window.findChild(StoreHeader)
    assert isinstance(header, StoreHeader)
    return header


def mirrored_state(core: AppCore) -> str | None:
    state = read_store(core.db)
    return None if state is None else state.state


def test_reviews_and_store_show_offline_and_an_offline_reply_is_sent_later(
        loop: asyncio.AbstractEventLoop, core: AppCore, qtbot: Any, tmp_path: Path) -> None:
    settings = sandbox_settings(fresh_database_url(tmp_path))
    port = free_port()

    async def scenario() -> None:
        servers = contextlib.ExitStack()
        sandbox = servers.enter_context(running_sandbox(settings, port))
        try:
            shop = await open_shop(core, sandbox, qtbot)
            vendor = shop.vendor
            r = sandbox.http.post("/_test/reviews", json={
                "vendor_id": vendor.vendor_id, "rating": 2, "text": "Cold when it arrived.",
                "customer_name": "Keiko N."})
            assert r.status_code == 201, r.text
            review_id = r.json()["id"]
            other = vendor.client()  # another device of the shop
            r = other.post("/vendor/pause", headers=key(), json={"mode": "PAUSED",
                                                                 "reason": "STORE_CLOSED"})
            assert r.status_code == 200, r.text
            await wait_until(lambda: len(read_reviews(core.db)) == 1)
            await wait_until(lambda: mirrored_state(core) == "PAUSED")

            # Offline: the marketplace is gone (the engine keeps trying).
            await asyncio.to_thread(servers.close)
            engine = shop.runner.service.engine()
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"{sandbox.url}/healthz")
            await wait_until(lambda: not engine.online)

            window = MainWindow(core.shell_status)  # opened offline: only the mirror to read
            qtbot.addWidget(window)
            page = window.show_page("orders")
            assert isinstance(page, OrdersPage)
            await wait_until(lambda: window.findChild(StoreHeader) is not None)
            header = header_of(window)
            await wait_until(lambda: header.label.text() == "Store: Paused (store closed)")
            page.sections.setCurrentIndex(1)
            panel = page.reviews
            await wait_until(lambda: panel.model.rowCount() == 1)
            assert [panel.model.index(0, c).data() for c in range(4)] == [
                "★★☆☆☆", "Keiko N.", "Cold when it arrived.", ""]
            assert panel.summary.text() == "1 reviews, average 2.0 ★"

            # A reply typed offline: queued, shown as sending, the marketplace unreachable.
            panel.view.selectRow(0)
            panel.reply.setFocus()
            qtbot.keyClicks(panel.reply, REPLY)
            qtbot.keyClick(panel.reply, Qt.Key.Key_Return)
            await wait_until(lambda: panel.model.index(0, 3).data() == f"{REPLY} (sending…)")
            assert read_reviews(core.db)[0].pending_reply == REPLY
            engine.wake()
            engine._want_push()
            await wait_until(lambda: engine.last_error is not None and not engine.online)
            panel.refresh()
            await wait_until(lambda: not panel._loading)
            assert panel.model.index(0, 3).data() == f"{REPLY} (sending…)"

            # Back online, same address and data: sync sends the reply by itself.
            await asyncio.to_thread(servers.enter_context, running_sandbox(settings, port))
            reader = vendor.client()
            servers.callback(reader.close)

            def server_reply() -> Any:
                data = reader.get("/reviews").json()["data"]
                return next(r for r in data if r["id"] == review_id).get("reply")

            await wait_until(lambda: server_reply() is not None, timeout=BACK_ONLINE_S)
            assert server_reply()["text"] == REPLY
            await wait_until(lambda: panel.model.index(0, 3).data() == REPLY,
                             timeout=BACK_ONLINE_S)
            assert read_reviews(core.db)[0].reply == REPLY
            await shop.runner.service.stop()
        finally:
            await asyncio.to_thread(servers.close)

    loop.run_until_complete(scenario())
