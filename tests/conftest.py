"""Shared fixtures: a real, migrated SQLite file per test and a seeded shop."""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from local_db.database import Database
from vendor_console.permissions import Actor
from vendor_console.services.shop import ShopDraft, TaxRateDraft, create_shop
from vendor_console.services.staff import StaffService

# How long UI tests wait for real work (Argon2 PIN checks, SQLite writes on a worker, an
# emulated printer) before failing. pytest-qt's default is 5 s, which a loaded 2-core CI
# machine can exceed; this is a bound on failure, not a performance expectation.
WAIT_MS = 30_000


def _with_default_timeout(method: Callable[..., Any]) -> Callable[..., Any]:
    def wait(*args: Any, timeout: int = WAIT_MS, **kwargs: Any) -> Any:
        return method(*args, timeout=timeout, **kwargs)

    return wait


@pytest.fixture
def qtbot(qtbot: QtBot) -> QtBot:
    """pytest-qt's ``qtbot`` with ``WAIT_MS`` as the default wait of its wait helpers."""
    for name in ("waitUntil", "wait_until", "waitSignal", "wait_signal", "waitSignals",
                 "wait_signals", "waitCallback", "wait_callback"):
        if hasattr(qtbot, name):
            setattr(qtbot, name, _with_default_timeout(getattr(qtbot, name)))
    return qtbot


@pytest.fixture(autouse=True)
def _qt_garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """Collect each test's cyclic garbage here, on the main (GUI) thread, once the test is
    done. Left to chance, the collector runs on whichever thread allocates next, and a worker
    thread finalizing a widget or timer of a finished test crashes Qt (seen as rare segfaults
    in full runs). The app itself keeps its widgets alive for its whole life."""
    yield
    if "PySide6.QtCore" in sys.modules:
        gc.collect()


# Threads a test may leave running, by name prefix, each with why it outlives the test.
LONG_LIVED_THREADS: dict[str, str] = {
    "AnyIO worker thread": "the marketplace sandbox server (a session fixture, its own thread "
                           "and loop) runs blocking endpoint code on AnyIO's worker pool; the "
                           "pool is the server's, and AnyIO ends idle workers after 10 s",
    "Thread (pooled)": "QThreadPool's idle threads (ui.workers' app-wide pool): the pool keeps "
                       "a thread for its expiry timeout (30 s) after its job is done, to reuse "
                       "it; it shows up here only if Python code ran on it (e.g. logging). "
                       "UI tests wait for the jobs themselves (ui.workers.wait_for_threads)",
}
THREAD_GRACE_S = 2.0  # a stopped thread's last steps; a bound on failure, not a timing claim


def _os_name(thread: threading.Thread) -> str | None:
    """A thread Python did not start (Qt's): its OS name, or None once it ended (threading
    keeps such an entry, "Dummy-N", for ever)."""
    try:
        return Path(f"/proc/self/task/{thread.native_id}/comm").read_text().strip()
    except OSError:
        return None


def _left_running(thread: threading.Thread, deadline: float) -> str | None:
    """The name of ``thread`` if it still runs after a join until ``deadline`` and is not
    one of the ``LONG_LIVED_THREADS``, else None."""
    if isinstance(thread, threading._DummyThread):
        os_name = _os_name(thread)
        if os_name is None or os_name.startswith(tuple(LONG_LIVED_THREADS)):
            return None
        return f"{thread.name} [{os_name}]"
    if thread.name.startswith(tuple(LONG_LIVED_THREADS)):
        return None
    thread.join(max(0.0, deadline - time.monotonic()))
    return f"{thread.name} ({getattr(thread, '_target', None)!r})" if thread.is_alive() else None


@pytest.fixture(autouse=True)
def _no_threads_left_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a thread it started (itself or in its fixtures) running.
    Threads of finished tests ran Python (and the garbage collector) beside later Qt tests;
    every fixture that starts a thread or process stops and joins it at teardown. Session- and
    module-scoped fixtures are set up before this one: their threads are not the test's."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + THREAD_GRACE_S
    left = [name for thread in threading.enumerate() if thread not in before
            and (name := _left_running(thread, deadline)) is not None]
    if left:
        pytest.fail(f"{request.node.nodeid} left threads running: {', '.join(left)}",
                    pytrace=False)


@dataclass(frozen=True)
class ShopFixture:
    db: Database
    shop_id: str
    location_id: str
    tax_rate_ids: dict[str, str]  # "zero", "reduced" (5 %), "standard" (20 %)
    owner: Actor
    manager: Actor
    cashier: Actor


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "shop.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database.open(db_path)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def shop(db: Database) -> ShopFixture:
    info = create_shop(db, ShopDraft(
        name="Test Bakery", currency="EUR", timezone="Europe/Dublin", tax_rates=(
            TaxRateDraft("zero", "Zero rate", 0),
            TaxRateDraft("reduced", "Reduced 5 %", 500),
            TaxRateDraft("standard", "Standard 20 %", 2000),
        ),
    ))
    staff = StaffService(db)
    owner = staff.add_staff(None, "Olive", "owner", "1111")
    manager = staff.add_staff(owner, "Maya", "manager", "2222")
    cashier = staff.add_staff(owner, "Cal", "cashier", "3333")
    return ShopFixture(db, info.id, info.default_location_id, info.tax_rate_ids,
                       owner, manager, cashier)
