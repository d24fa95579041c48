"""What the user sees of sync: online, pending count and age, last success, dead letters,
open issues, initial-sync progress. Small indexed reads only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from local_db.types import parse_utc, utc_now


@dataclass(frozen=True, slots=True)
class DeadLetter:
    id: str
    resource_type: str
    resource_id: str
    operation: str
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    kind: str
    resource_type: str
    resource_id: str
    message: str
    details: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SyncStatus:
    paired: bool = False
    online: bool = False
    running: bool = False
    pending: int = 0
    oldest_pending_at: datetime | None = None
    last_success_at: datetime | None = None
    dead_letters: int = 0
    open_issues: int = 0
    unsynced_sales: int = 0
    initial_sync_rows: int = 0
    phase: str = "idle"
    last_error: str | None = None
    live_mode: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def oldest_pending_age_s(self) -> float | None:
        if self.oldest_pending_at is None:
            return None
        return max(0.0, (utc_now() - self.oldest_pending_at).total_seconds())

    def summary(self) -> str:
        if not self.paired:
            return "Marketplace not connected"
        parts = ["Online" if self.online else "Offline"]
        if self.phase == "bootstrap":
            parts.append(f"first sync: {self.initial_sync_rows} rows")
        parts.append(f"{self.pending} to send" if self.pending else "all sent")
        if self.dead_letters:
            parts.append(f"{self.dead_letters} need attention")
        if self.open_issues:
            parts.append(f"{self.open_issues} issues")
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {"paired": self.paired, "online": self.online, "running": self.running,
                "pending": self.pending, "oldest_pending_at": iso(self.oldest_pending_at),
                "oldest_pending_age_s": self.oldest_pending_age_s,
                "last_success_at": iso(self.last_success_at), "dead_letters": self.dead_letters,
                "open_issues": self.open_issues, "unsynced_sales": self.unsynced_sales,
                "initial_sync_rows": self.initial_sync_rows, "phase": self.phase,
                "last_error": self.last_error, "live_mode": self.live_mode}


def read_counts(conn: sqlite3.Connection) -> dict[str, Any]:
    pending, oldest = conn.execute(
        "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'PENDING'").fetchone()
    dead = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'DEAD'").fetchone()[0]
    sales = conn.execute("SELECT COUNT(*) FROM outbox WHERE resource_type = 'sale' AND "
                         "status IN ('PENDING', 'DEAD')").fetchone()[0]
    issues = conn.execute("SELECT COUNT(*) FROM sync_issues WHERE resolved_at IS NULL"
                          ).fetchone()[0]
    row = conn.execute("SELECT last_success_at FROM sync_cursors WHERE stream = 'changes'"
                       ).fetchone()
    return {"pending": int(pending), "oldest_pending_at": parse_utc(oldest) if oldest else None,
            "dead_letters": int(dead), "unsynced_sales": int(sales), "open_issues": int(issues),
            "last_success_at": parse_utc(row[0]) if row and row[0] else None}


def dead_letters(conn: sqlite3.Connection, limit: int = 500) -> list[DeadLetter]:
    return [DeadLetter(r[0], r[1], r[2], r[3], r[4] or "", parse_utc(r[5]))
            for r in conn.execute(
                "SELECT id, resource_type, resource_id, operation, last_error, created_at "
                "FROM outbox WHERE status = 'DEAD' ORDER BY seq LIMIT ?", (limit,))]


def open_issues(conn: sqlite3.Connection, limit: int = 500) -> list[Issue]:
    return [Issue(r[0], r[1], r[2], r[3], r[4], orjson.loads(r[5]), parse_utc(r[6]))
            for r in conn.execute(
                "SELECT id, kind, resource_type, resource_id, message, details, created_at "
                "FROM sync_issues WHERE resolved_at IS NULL ORDER BY created_at LIMIT ?",
                (limit,))]
