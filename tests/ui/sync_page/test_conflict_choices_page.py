"""The Sync page settles catalog conflicts both ways, against the real sandbox: "Keep this
till's value" sends it again; "Keep the marketplace's" keeps the marketplace's on the till."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import pytest

from tests.sandbox.conftest import Sandbox
from tests.ui.qasync_fixtures import wait_until
from tests.ui.sync_page.test_sync_ui import scalar
from ui.main_window import MainWindow
from ui.pages.sync import SyncPage
from ui.sync_runner import start_sync
from vendor_console.core import AppCore
from vendor_console.services.catalog import CatalogService

pytestmark = pytest.mark.qt_no_exception_capture


def test_the_sync_page_settles_conflicts_both_ways(
        loop: asyncio.AbstractEventLoop, core: AppCore, sandbox: Sandbox,
        qtbot: Any) -> None:
    from tests.sync.conftest import make_product

    vendor = sandbox.new_vendor()
    api = vendor.client()
    remote = make_product(api)["id"]
    window = MainWindow(core.shell_status)
    qtbot.addWidget(window)
    runner = start_sync(window)
    assert runner is not None
    actor = core.signed_in
    assert actor is not None
    catalog = CatalogService(core.db)

    def rename_here(name: str) -> None:
        product_id = str(scalar(core, "SELECT id FROM products WHERE remote_id = ?", remote))
        draft = catalog.get_product(product_id).to_draft()
        catalog.update_product(actor, product_id, dataclasses.replace(draft, name=name))

    def rename_there(name: str) -> None:
        version = api.get(f"/products/{remote}").json()["version"]
        r = api.patch(f"/products/{remote}", json={"name": name},
                      headers={"If-Match": f'"{version}"', "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 200, r.text

    def names() -> tuple[str, str]:
        return (api.get(f"/products/{remote}").json()["name"],
                str(scalar(core, "SELECT name FROM products WHERE remote_id = ?", remote)))

    async def conflict(page: SyncPage, mine: str, theirs: str) -> None:
        rename_here(mine)
        rename_there(theirs)
        await runner.service.sync_once()
        page.reload()
        await wait_until(lambda: page.issue_model.rowCount() == 1)
        assert "conflict" in page.issue_model.rows[0][1][0]
        page.issue_view.selectRow(0)
        page.message.clear()

    async def scenario() -> None:
        await runner.service.pair(vendor.server.url, api_key=vendor.api_key)
        await runner.service.stop()  # driven step by step below
        await runner.service.sync_once()
        page = window.show_page("sync")
        assert isinstance(page, SyncPage)

        await conflict(page, "Rye loaf", "Spelt loaf")
        page.keep_mine_button.click()
        await wait_until(lambda: page.message.text() == "Settled.")
        await wait_until(lambda: page.issue_model.rowCount() == 0)
        await runner.service.sync_once()
        assert names() == ("Rye loaf", "Rye loaf")

        await conflict(page, "Barley loaf", "Oat loaf")
        page.keep_theirs_button.click()
        await wait_until(lambda: page.message.text() == "Settled.")
        await wait_until(lambda: page.issue_model.rowCount() == 0)
        await runner.service.sync_once()
        assert names() == ("Oat loaf", "Oat loaf")

    loop.run_until_complete(scenario())
