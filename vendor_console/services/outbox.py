"""The transactional outbox: enqueue a message for the marketplace in the caller's write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from local_db.rawsql import insert_rows
from local_db.tables import outbox as _table
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.ids import new_id, new_idempotency_key


def enqueue(
    tx: Tx, resource_type: str, resource_id: str, operation: str, payload: dict[str, Any]
) -> str:
    """Add one PENDING outbox row; its Idempotency-Key is fixed here, at birth."""
    return enqueue_many(tx, [(resource_type, resource_id, operation, payload)])[0]


def enqueue_many(
    tx: Tx, messages: Sequence[tuple[str, str, str, dict[str, Any]]]
) -> list[str]:
    """Add several PENDING rows in one statement, in order (resource type, id, op, payload)."""
    now = utc_now()
    rows = [
        {
            "id": new_id(), "resource_type": resource_type, "resource_id": resource_id,
            "operation": operation, "payload": payload,
            "idempotency_key": new_idempotency_key(), "status": "PENDING", "attempts": 0,
            "created_at": now,
        }
        for resource_type, resource_id, operation, payload in messages
    ]
    insert_rows(tx.conn, _table, rows)  # DB-API fast path: on every sale's write
    ids = [str(r["id"]) for r in rows]
    tx.changed("outbox", *ids)
    return ids
