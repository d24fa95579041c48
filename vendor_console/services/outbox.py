"""The transactional outbox: enqueue a message for the marketplace in the caller's write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from local_db.tables import outbox as _table
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.ids import new_id, new_idempotency_key


def enqueue(
    tx: Tx, resource_type: str, resource_id: str, operation: str, payload: dict[str, Any]
) -> str:
    """Add one PENDING outbox row; its Idempotency-Key is fixed here, at birth."""
    row_id = new_id()
    tx.conn.execute(
        insert(_table),
        {
            "id": row_id,
            "resource_type": resource_type,
            "resource_id": resource_id,
            "operation": operation,
            "payload": payload,
            "idempotency_key": new_idempotency_key(),
            "status": "PENDING",
            "attempts": 0,
            "created_at": utc_now(),
        },
    )
    tx.changed("outbox", row_id)
    return row_id
