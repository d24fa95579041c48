"""Sync inside the app, against the real sandbox: pairing from Settings, the engine on the
qasync loop, the status bar summary, the Sync page (dead letters, Sync now) and sign-out
refused while counter sales are unsynced."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.sandbox.conftest import Sandbox
from tests.ui.qasync_fixtures import wait_until
from ui.main_window import MainWindow
from ui.pages.sync import SyncPage
from ui.sync_runner import SyncRunner, start_sync
from vendor_console.core import AppCore

pytestmark = pytest.mark.qt_no_exception_capture


def scalar(core: AppCore, sql: str, *params: Any) -> Any:
    with core.db.read() as conn:
        return conn.exec_driver_sql(sql, params).scalar()


def test_pair_from_settings_then_sync_shows_everywhere(
        loop: asyncio.AbstractEventLoop, core: AppCore, sandbox: Sandbox, qtbot: Any) -> None:
    """One coroutine under one run of the loop, as in the app (qasync steps tasks outside a
    running loop when a run ends, which the app never does while it lives)."""
    from tests.conftest import ShopFixture
    from tests.sync.conftest import Till, make_product
    from tests.sync.helpers import sell
    from ui.sync_pairing import PairingBox
    from ui.sync_runner import runner_of

    vendor = sandbox.new_vendor()
    product = make_product(vendor.client())
    window = MainWindow(core.shell_status)
    qtbot.addWidget(window)
    runner = start_sync(window)
    assert isinstance(runner, SyncRunner)
    settings = window.show_page("settings")
    pairing = settings.findChild(PairingBox)
    assert pairing is not None
    assert runner_of(pairing) is runner

    async def scenario() -> None:
        pairing.url.setText("not a url")
        pairing.key.setText(vendor.api_key)
        pairing.pair_button.click()
        await wait_until(lambda: "must start with" in pairing.result.text())
        pairing.url.setText(vendor.server.url)
        pairing.key.setText("mk_wrong_key")
        pairing.pair_button.click()
        await wait_until(lambda: "refused" in pairing.result.text())
        pairing.key.setText(vendor.api_key)
        pairing.pair_button.click()
        await wait_until(lambda: "Paired" in pairing.result.text())
        # The engine runs on this loop: the catalog arrives, the status bar says so.
        await wait_until(lambda: scalar(
            core, "SELECT COUNT(*) FROM variants WHERE remote_id = ?",
            product["variants"][0]["id"]) == 1)
        await wait_until(lambda: window.shell_status_bar.sync.text().startswith("Online"))
        window.refresh_status()
        assert window.shell_status_bar.sync.text().startswith("Online")

        # A counter sale while offline: sign-out is refused until it reached the marketplace.
        await runner.service.stop()
        variant = scalar(core, "SELECT id FROM variants")
        location = scalar(core, "SELECT id FROM locations")
        actor = core.signed_in
        assert actor is not None
        till = Till(ShopFixture(core.db, "", str(location), {}, actor, actor, actor), vendor,
                    None)  # type: ignore[arg-type]
        sell(till, str(variant), 2)
        pairing.sign_out_button.click()
        await wait_until(lambda: "have not reached the marketplace" in pairing.result.text())

        # The Sync page shows it waiting; "Sync now" sends it.
        page = window.show_page("sync")
        assert isinstance(page, SyncPage)
        await wait_until(lambda: page.facts["pending"].text() not in ("–", "0"))
        page.sync_now_button.click()
        await wait_until(lambda: page.facts["pending"].text() == "0")
        sales = vendor.client().get("/changes").json()["data"]
        assert [c for c in sales if c["resource_type"] == "sale"]
        pairing.sign_out_button.click()
        await wait_until(lambda: "Signed out" in pairing.result.text(),
                         show=pairing.result.text)

    loop.run_until_complete(scenario())


def test_dead_letters_are_shown_and_a_sale_cannot_be_discarded(
        loop: asyncio.AbstractEventLoop, core: AppCore, sandbox: Sandbox, qtbot: Any) -> None:
    from tests.sync.conftest import make_product
    from tests.sync.test_dead_letters_and_stock import break_payload

    vendor = sandbox.new_vendor()
    make_product(vendor.client())
    window = MainWindow(core.shell_status)
    qtbot.addWidget(window)
    runner = start_sync(window)
    assert runner is not None
    from tests.conftest import ShopFixture
    from tests.sync.conftest import Till
    from tests.sync.helpers import sell

    async def scenario() -> None:
        await runner.service.pair(vendor.server.url, api_key=vendor.api_key)
        await runner.service.sync_once()
        variant = scalar(core, "SELECT id FROM variants")
        actor = core.signed_in
        assert actor is not None
        till = Till(ShopFixture(core.db, "", "", {}, actor, actor, actor), vendor,
                    None)  # type: ignore[arg-type]
        sell(till, str(variant), 1)
        break_payload(till, "sale", lines=[])
        page = window.show_page("sync")
        assert isinstance(page, SyncPage)
        runner.sync_now()
        await wait_until(lambda: page.dead_model.rowCount() == 1)
        assert "lines" in page.dead_model.rows[0][1][1]
        page.dead_view.selectRow(0)
        page.discard_button.click()
        await wait_until(lambda: "cannot be discarded" in page.message.text())
        assert page.dead_model.rowCount() == 1
        await wait_until(lambda: "need attention" in window.shell_status_bar.sync.text())
        await runner.service.stop()

    loop.run_until_complete(scenario())
