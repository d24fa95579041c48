"""Fixtures for UI tests that run sync on the qasync loop, as the app does: a real sandbox on
loopback (one per test module), the loop with an in-memory keyring, and a published till core
(signed in as the owner) that is torn down with its sync service.

Import them into a conftest (``from tests.ui.qasync_fixtures import core, loop, sandbox,
shop_name``); define ``shop_name`` there instead to name the till's shop differently.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.sandbox.conftest import Sandbox, fresh_database_url, running_sandbox, sandbox_settings
from tests.sync.memkeyring import MemoryKeyring
from ui.sell.context import forget_core, publish_core
from ui.sync_context import current_service, forget_service
from vendor_console.core import AppCore
from vendor_console.paths import DataPaths
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    url = fresh_database_url(tmp_path_factory.mktemp("ui-qasync-sandbox"))
    with running_sandbox(sandbox_settings(url)) as server:
        yield server


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    try:
        yield event_loop
    finally:
        event_loop.close()
        asyncio.set_event_loop(None)
        keyring.set_keyring(previous)


@pytest.fixture
def shop_name() -> str:
    return "UI shop"


@pytest.fixture
def core(tmp_path: Path, shop_name: str) -> Iterator[AppCore]:
    # Earlier tests' Qt garbage is collected here, on the GUI thread, not later by a worker
    # thread that happens to trigger the collector (Qt warns about timers stopped there).
    gc.collect()
    app_core = AppCore.open(DataPaths(tmp_path / "till"))
    create_shop(app_core.db, ShopDraft(name=shop_name, currency="EUR"))
    app_core.signed_in = StaffService(app_core.db).add_staff(None, "Olive", "owner", "1111")
    publish_core(app_core)
    try:
        yield app_core
    finally:
        service = current_service()
        forget_service()
        forget_core()
        from ui.workers import wait_for_threads

        wait_for_threads()
        if service is not None:
            asyncio.get_event_loop().run_until_complete(service.aclose())
        app_core.close()
        gc.collect()


async def wait_until(condition: Callable[[], Any], timeout: float = 30.0,
                     show: Callable[[], object] | None = None) -> None:
    """Steps the running loop until ``condition()`` holds (``show()`` says why it did not)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, (
            f"timed out; {show()!r}" if show else "timed out")
        await asyncio.sleep(0.02)
