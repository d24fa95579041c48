"""What the tests of pages over a test database share: the core a page is given, the offscreen
platform's noise to ignore, and no worker left running when the database closes.

Import ``_workers_done`` into a conftest as an autouse fixture, and call
``ignore_offscreen_noise`` from its ``pytest_collection_modifyitems``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from local_db.database import Database
from ui import workers
from vendor_console.permissions import Actor
from vendor_console.settings import Settings

# The offscreen platform says this for every top-level dialog shown; it is not our warning.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


@dataclass
class FakeCore:
    """What AppCore gives a page: the database, settings and who is signed in."""

    db: Database
    settings: Settings = field(init=False)
    signed_in: Actor | None = None

    def __post_init__(self) -> None:
        self.settings = Settings(self.db)


def ignore_offscreen_noise(items: list[pytest.Item], folder: Path) -> None:
    """The tests below ``folder`` ignore ``OFFSCREEN_NOISE`` in Qt's log."""
    for item in items:
        if folder in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _workers_done(db: Database, qtbot: QtBot) -> Iterator[None]:
    """Before the database closes: no worker may still be using it."""
    yield
    workers.wait_for_threads()
    qtbot.waitUntil(lambda: workers.pending() == 0)
