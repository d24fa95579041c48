"""The outbox as the sender sees it: due rows, and the outcome of each send (writer thread)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from local_db.types import format_utc, utc_now
from vendor_console.errors import ValidationError
from vendor_console.ids import new_idempotency_key

# Rows the sender may work on; SENT and DISCARDED are done.
_DUE = (
    "SELECT seq, id, resource_type, resource_id, operation, payload, idempotency_key, attempts "
    "FROM outbox WHERE status = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
    "ORDER BY seq LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class OutRow:
    seq: int
    id: str
    resource_type: str
    resource_id: str
    operation: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int


def due_rows(conn: sqlite3.Connection, limit: int) -> list[OutRow]:
    now = format_utc(utc_now())
    return [OutRow(r[0], r[1], r[2], r[3], r[4], orjson.loads(r[5]), r[6], r[7])
            for r in conn.execute(_DUE, (now, limit)).fetchall()]


def next_due(conn: sqlite3.Connection) -> datetime | None:
    row = conn.execute("SELECT MIN(COALESCE(next_attempt_at, '')) FROM outbox "
                       "WHERE status = 'PENDING' AND COALESCE(next_attempt_at, '') != ?",
                       (HELD,)).fetchone()
    if row is None or row[0] is None:
        return None
    if row[0] == "":
        return utc_now()
    from local_db.types import parse_utc

    return parse_utc(row[0])


def mark_sent(conn: sqlite3.Connection, ids: list[str]) -> None:
    now = format_utc(utc_now())
    conn.executemany("UPDATE outbox SET status = 'SENT', sent_at = ?, last_error = NULL "
                     "WHERE id = ? AND status = 'PENDING'", [(now, i) for i in ids])


def reschedule(conn: sqlite3.Connection, row_id: str, delay_s: float, error: str) -> None:
    at = format_utc(utc_now() + timedelta(seconds=delay_s))
    conn.execute("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, "
                 "last_error = ? WHERE id = ?", (at, error[:1000], row_id))


HELD = "9999-12-31T00:00:00.000000Z"  # a sale's movements wait while the sale is dead


def due_now(conn: sqlite3.Connection) -> int:
    """Rows waiting out a retry delay are due at once (the network is back); held ones stay
    held. The number of rows made due."""
    cur = conn.execute("UPDATE outbox SET next_attempt_at = NULL WHERE status = 'PENDING' AND "
                       "next_attempt_at IS NOT NULL AND next_attempt_at != ?", (HELD,))
    return cur.rowcount


def _hold_sale_movements(conn: sqlite3.Connection, row_id: str, until: str | None) -> None:
    conn.execute(
        "UPDATE outbox SET next_attempt_at = ? WHERE resource_type = 'inventory_change' AND "
        "status = 'PENDING' AND resource_id IN (SELECT m.id FROM stock_movements m JOIN outbox o "
        "ON o.resource_type = 'sale' AND o.resource_id = m.reference_id WHERE o.id = ? AND "
        "m.reference_type = 'sale')", (until, row_id))


def mark_dead(conn: sqlite3.Connection, row_id: str, reason: str) -> None:
    conn.execute("UPDATE outbox SET status = 'DEAD', attempts = attempts + 1, last_error = ? "
                 "WHERE id = ?", (reason[:2000], row_id))
    _hold_sale_movements(conn, row_id, HELD)


def mark_discarded(conn: sqlite3.Connection, row_id: str, reason: str) -> None:
    conn.execute("UPDATE outbox SET status = 'DISCARDED', last_error = ? WHERE id = ?",
                 (reason[:2000], row_id))


class DeadLetterError(ValidationError):
    """A retry or discard the user may not do (shown to them as is)."""


def retry_dead(conn: sqlite3.Connection, row_id: str) -> None:
    """Send a dead letter again, with a new Idempotency-Key (the old one would replay the
    refusal); natural keys (sale id, client_change_id) still prevent doubles."""
    cur = conn.execute("UPDATE outbox SET status = 'PENDING', next_attempt_at = NULL, "
                       "idempotency_key = ?, last_error = NULL WHERE id = ? AND status = 'DEAD'",
                       (new_idempotency_key(), row_id))
    if cur.rowcount != 1:
        raise DeadLetterError("That message is not in the dead-letter list any more.")
    _hold_sale_movements(conn, row_id, None)


def discard_dead(conn: sqlite3.Connection, row_id: str) -> None:
    row = conn.execute("SELECT resource_type, status FROM outbox WHERE id = ?",
                       (row_id,)).fetchone()
    if row is None or row[1] != "DEAD":
        raise DeadLetterError("That message is not in the dead-letter list any more.")
    if row[0] == "sale":
        raise DeadLetterError("A sale cannot be discarded: it happened. Fix the problem and "
                              "retry it, so the marketplace's books match the till.")
    conn.execute("UPDATE outbox SET status = 'DISCARDED' WHERE id = ?", (row_id,))
    if row[0] == "inventory_change":  # the movement will never reach the server's level
        movement = conn.execute("SELECT resource_id FROM outbox WHERE id = ?",
                                (row_id,)).fetchone()[0]
        acknowledge_movements(conn, [movement])


def acknowledge_movements(conn: sqlite3.Connection, movement_ids: list[str]) -> None:
    """The server applied these movements: they stop counting as pending, and on-hand becomes
    the server's level + what is still pending. Until the feed brings the level that includes
    them it may lag; the feed's level is the truth and arrives right after."""
    if not movement_ids:
        return
    now = format_utc(utc_now())
    touched: set[tuple[str, str]] = set()
    for mid in movement_ids:
        row = conn.execute("SELECT variant_id, location_id FROM stock_movements "
                           "WHERE id = ? AND acknowledged_at IS NULL", (mid,)).fetchone()
        if row is None:
            continue
        conn.execute("UPDATE stock_movements SET acknowledged_at = ? WHERE id = ?", (now, mid))
        touched.add((row[0], row[1]))
    for variant, location in touched:
        conn.execute(
            "UPDATE stock_levels SET on_hand = server_on_hand + (SELECT COALESCE(SUM(delta), 0) "
            "FROM stock_movements WHERE variant_id = ? AND location_id = ? AND "
            "acknowledged_at IS NULL) WHERE variant_id = ? AND location_id = ? AND "
            "server_on_hand IS NOT NULL", (variant, location, variant, location))
