"""How the window's parts find the sync service once the shop database is open (any thread
may publish; the GUI thread reads)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.service import SyncService

_lock = threading.Lock()
_service: list[SyncService] = []


def publish_service(service: SyncService) -> None:
    with _lock:
        _service[:] = [service]


def forget_service() -> None:
    with _lock:
        _service.clear()


def current_service() -> SyncService | None:
    with _lock:
        return _service[0] if _service else None
