"""Sync bookkeeping in the database: the feed cursor, clock skew, last success."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from local_db.types import format_utc, parse_utc, utc_now

STREAM = "changes"


@dataclass(frozen=True, slots=True)
class CursorState:
    cursor: str | None
    clock_skew_ms: int
    last_success_at: datetime | None


def read_cursor(conn: sqlite3.Connection) -> CursorState:
    row = conn.execute("SELECT cursor, clock_skew_ms, last_success_at FROM sync_cursors "
                       "WHERE stream = ?", (STREAM,)).fetchone()
    if row is None:
        return CursorState(None, 0, None)
    return CursorState(row[0], int(row[1] or 0), parse_utc(row[2]) if row[2] else None)


def write_cursor(conn: sqlite3.Connection, cursor: str | None, *,
                 skew_ms: int | None = None) -> None:
    now = format_utc(utc_now())
    conn.execute(
        "INSERT INTO sync_cursors (stream, cursor, clock_skew_ms, last_success_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor, "
        "clock_skew_ms = CASE WHEN ? IS NULL THEN clock_skew_ms ELSE excluded.clock_skew_ms END, "
        "last_success_at = excluded.last_success_at, updated_at = excluded.updated_at",
        (STREAM, cursor, skew_ms or 0, now, now, skew_ms))


def touch_success(conn: sqlite3.Connection) -> None:
    now = format_utc(utc_now())
    conn.execute("UPDATE sync_cursors SET last_success_at = ?, updated_at = ? WHERE stream = ?",
                 (now, now, STREAM))


def acknowledge_settled_movements(conn: sqlite3.Connection) -> None:
    """Before the first sync: movements with no message on its way are already in the server's
    level (history from before pairing, or movements never meant to sync)."""
    conn.execute(
        "UPDATE stock_movements SET acknowledged_at = ? WHERE acknowledged_at IS NULL AND id NOT "
        "IN (SELECT resource_id FROM outbox WHERE resource_type = 'inventory_change' AND "
        "status IN ('PENDING', 'DEAD'))", (format_utc(utc_now()),))
