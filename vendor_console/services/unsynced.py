"""How many counter sales (and refunds) the marketplace has not acknowledged yet.

One small query on the outbox (``ix_outbox_pending`` narrows it to the rows still waiting):
``PENDING`` rows will be sent, ``DEAD`` ones failed for good and need someone to look. Run it
on a worker, never on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from local_db.database import Database
from local_db.rawsql import fetch_all

_COUNT = ("SELECT status, count(*) FROM outbox WHERE status IN ('PENDING', 'DEAD') "
          "AND resource_type = 'sale' GROUP BY status")


@dataclass(frozen=True, slots=True)
class UnsyncedSales:
    pending: int
    failed: int

    @property
    def total(self) -> int:
        return self.pending + self.failed


def unsynced_sales(db: Database) -> UnsyncedSales:
    with db.read() as conn:
        counts = dict(fetch_all(conn, _COUNT))
    return UnsyncedSales(int(counts.get("PENDING", 0)), int(counts.get("DEAD", 0)))
