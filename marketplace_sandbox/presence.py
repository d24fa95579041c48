"""Store presence: is a device of the vendor connected (event stream) or polling?

Kept in memory for speed and persisted to `devices.last_seen_us` at most every quarter of the
timeout per device, so that with several worker processes each one sees the others' devices.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select, update

from marketplace_sandbox import clock
from marketplace_sandbox.db import Database
from marketplace_sandbox.models import devices


class Presence:
    def __init__(self, db: Database, timeout: float) -> None:
        self.db = db
        self.timeout = timeout
        self.started = time.monotonic()
        self._last_seen: dict[str, float] = {}
        self._streams: dict[str, int] = {}
        self._persisted: dict[str, float] = {}
        self._lock = threading.Lock()

    def seen(self, vendor_id: str, device_id: str) -> bool:
        """Record activity; True when the caller should persist it (call `persist`)."""
        now = time.monotonic()
        with self._lock:
            self._last_seen[vendor_id] = now
            due = now - self._persisted.get(device_id, -1e18) >= self.timeout / 4
            if due:
                self._persisted[device_id] = now
        return due

    def persist(self, device_id: str) -> None:
        with self.db.write() as tx:
            tx.conn.execute(update(devices).where(devices.c.id == device_id)
                            .values(last_seen_us=clock.now_us()))

    def stream_opened(self, vendor_id: str) -> None:
        with self._lock:
            self._streams[vendor_id] = self._streams.get(vendor_id, 0) + 1

    def stream_closed(self, vendor_id: str) -> None:
        with self._lock:
            self._streams[vendor_id] = max(0, self._streams.get(vendor_id, 0) - 1)
            self._last_seen[vendor_id] = time.monotonic()

    def is_present(self, vendor_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if self._streams.get(vendor_id, 0) > 0:
                return True
            # Until this process has run for the timeout, nobody counts as absent.
            if now - self._last_seen.get(vendor_id, self.started) < self.timeout:
                return True
        with self.db.read() as conn:  # devices seen by other worker processes
            last = conn.execute(select(func.max(devices.c.last_seen_us)).where(
                devices.c.vendor_id == vendor_id, devices.c.revoked_us.is_(None))).scalar()
        return last is not None and clock.now_us() - int(last) < self.timeout * 1_000_000
