"""Errors in qasync coroutines are not lost: they reach the application's exception hook.

A real qasync event loop runs on the test's QApplication (pytest-qt does not drive qasync).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QPushButton

from ui.errors import ExceptionHook, route_loop_errors

pytestmark = pytest.mark.qt_no_exception_capture


class _SyncButton(QPushButton):
    @qasync.asyncSlot()
    async def sync_now(self) -> None:
        await asyncio.sleep(0)
        raise ConnectionResetError("marketplace closed the connection mid-page")


@pytest.fixture
def qasync_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.005)


async def _fails_unawaited() -> None:
    raise LookupError("order vanished from the feed")


def test_async_slot_and_forgotten_task_errors_reach_the_hook(
    qasync_loop: asyncio.AbstractEventLoop,
    hook_factory: Callable[[bool], ExceptionHook],
) -> None:
    hook = hook_factory(False)
    route_loop_errors(qasync_loop, hook)
    button = _SyncButton("Sync now")
    button.clicked.connect(button.sync_now)

    async def scenario() -> None:
        button.click()
        await _until(lambda: len(hook.reports) == 1)
        qasync_loop.create_task(_fails_unawaited())  # nobody keeps or awaits the task
        await asyncio.sleep(0.01)
        gc.collect()
        await _until(lambda: len(hook.reports) == 2)

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), timeout=10))
    summaries = [report.summary for report in hook.reports]
    assert summaries == [
        "ConnectionResetError: marketplace closed the connection mid-page",
        "LookupError: order vanished from the feed",
    ]
    log_text = hook.log_path.read_text(encoding="utf-8")
    assert "marketplace closed the connection mid-page" in log_text
    assert "order vanished from the feed" in log_text
