"""PostgreSQL: wake this process's long-polls and streams when another worker commits.

Writers send `pg_notify('marketplace_feed', vendor_id)` inside their transaction (delivered at
COMMIT); one thread per process LISTENs and forwards to the in-process notifier.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

log = logging.getLogger("marketplace_sandbox")
CHANNEL = "marketplace_feed"


def libpq_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


class FeedListener:
    def __init__(self, url: str, on_vendor: Callable[[set[str]], None]) -> None:
        self.url = libpq_url(url)
        self.on_vendor = on_vendor
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-feed-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self.on_vendor({note.payload})
            except psycopg.Error:
                log.warning("feed listener lost its connection; reconnecting")
                self._stop.wait(1.0)
