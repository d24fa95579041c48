"""Shared fixtures: a real, migrated SQLite file per test and a seeded shop."""

from __future__ import annotations

import gc
import os
import sys
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
