"""Applying the marketplace's reviews and store state (the ``vendor`` resource) to the local
mirror, on the writer's DB-API connection inside its transaction. The newer-version rule, as
for every mirrored resource: a snapshot applies only when its version is newer than the one
stored. Unknown fields are ignored; unknown pause states are kept as raw strings."""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson

from local_db.types import format_utc
from sync.wire import Change, parse_time_or_none
from vendor_console.ids import new_id


def _ts(value: Any) -> str | None:
    parsed = parse_time_or_none(value)
    return None if parsed is None else format_utc(parsed)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _stored_version(conn: sqlite3.Connection, table: str, remote_id: str) -> int | None:
    row = conn.execute(f"SELECT version FROM {table} WHERE remote_id = ?",
                       (remote_id,)).fetchone()
    return None if row is None else int(row[0])


def apply_review(conn: sqlite3.Connection, change: Change, now: str) -> bool:
    """True when the review was stored (new or newer)."""
    stored = _stored_version(conn, "reviews", change.resource_id)
    if stored is not None and stored >= change.resource_version:
        return False
    if change.deleted:  # taken down by the marketplace
        conn.execute("DELETE FROM reviews WHERE remote_id = ?", (change.resource_id,))
        return stored is not None
    d = change.data
    reply: dict[str, Any] | None = d["reply"] if isinstance(d.get("reply"), dict) else None
    customer = _obj(d.get("customer"))
    rating = d.get("rating")
    values = {
        "version": change.resource_version,
        "order_remote_id": d.get("order_id") if isinstance(d.get("order_id"), str) else None,
        "rating": max(0, min(5, rating)) if isinstance(rating, int) else 0,
        "text": str(d.get("text") or ""),
        "customer_name": customer.get("display_name") or d.get("customer_name"),
        "reply_text": None if reply is None else str(reply.get("text") or ""),
        "replied_at": None if reply is None else _ts(reply.get("at")),
        "posted_at": _ts(d.get("created_at")) or now,
        "changed_at": _ts(d.get("updated_at")),
        "updated_at": now,
    }
    _store(conn, "reviews", values, change.resource_id, now, new=stored is None)
    return True


def apply_vendor(conn: sqlite3.Connection, change: Change, now: str) -> bool:
    """The store's state from the vendor document; True when stored (new or newer)."""
    stored = _stored_version(conn, "store_state", change.resource_id)
    if stored is not None and stored >= change.resource_version:
        return False
    d = change.data
    pause, busy = _obj(d.get("pause")), _obj(d.get("busy"))
    minutes = busy.get("extra_prep_minutes")
    hours = [h for h in d.get("hours") or [] if isinstance(h, dict)]
    special = [s for s in d.get("special_hours") or [] if isinstance(s, dict)]
    values = {
        "version": change.resource_version,
        "pause_state": str(pause.get("state") or "ONLINE"),
        "paused_until": _ts(pause.get("until")),
        "pause_reason": pause.get("reason") if isinstance(pause.get("reason"), str) else None,
        "busy_minutes": minutes if isinstance(minutes, int) else 0,
        "hours": orjson.dumps(hours).decode(),
        "special_days": orjson.dumps(special).decode(),
        "timezone": d.get("timezone") if isinstance(d.get("timezone"), str) else None,
        "changed_at": _ts(d.get("updated_at")),
        "updated_at": now,
    }
    _store(conn, "store_state", values, change.resource_id, now, new=stored is None)
    return True


def store_mirrored(conn: sqlite3.Connection) -> bool:
    """Whether the store state has ever been mirrored here (a till bootstrapped before the
    mirror existed lists reviews and the vendor once)."""
    return conn.execute("SELECT 1 FROM store_state LIMIT 1").fetchone() is not None


def _store(conn: sqlite3.Connection, table: str, values: dict[str, Any], remote_id: str,
           now: str, *, new: bool) -> None:
    """Insert the mirrored row (with a local id) or update it by its remote id."""
    if new:
        values = values | {"id": new_id(), "remote_id": remote_id, "created_at": now}
        columns = ", ".join(values)
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES "
                     f"({', '.join('?' for _ in values)})", tuple(values.values()))
    else:
        sets = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE {table} SET {sets} WHERE remote_id = ?",
                     (*values.values(), remote_id))
