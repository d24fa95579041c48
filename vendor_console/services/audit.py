"""The hash-chained audit log: append inside a write, verify on demand.

Each entry's hash is SHA-256 over the previous entry's hash and a canonical JSON of the entry,
so editing, deleting or reordering any row breaks the chain from that row on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select

from local_db.tables import audit_log as _table
from local_db.types import format_utc, utc_now
from local_db.writer import Tx
from vendor_console.ids import new_id

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: datetime
    action: str
    staff_id: str | None
    approved_by: str | None
    entity_type: str | None
    entity_id: str | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None
    message: str


def _digest(prev_hash: str, row: dict[str, Any]) -> str:
    body = orjson.dumps(
        {
            "id": row["id"],
            "at": format_utc(row["at"]),
            "staff_id": row["staff_id"],
            "approved_by": row["approved_by"],
            "action": row["action"],
            "entity_type": row["entity_type"],
            "entity_id": row["entity_id"],
            "details": row["details"],
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


def append(
    tx: Tx,
    action: str,
    *,
    staff_id: str | None,
    approved_by: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> str:
    """Add one entry to the chain inside the caller's transaction; returns its hash."""
    last = tx.conn.execute(
        select(_table.c.seq, _table.c.hash).order_by(_table.c.seq.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    row: dict[str, Any] = {
        "seq": (last.seq if last else 0) + 1,
        "id": new_id(),
        "at": at or utc_now(),
        "staff_id": staff_id,
        "approved_by": approved_by,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details or {},
        "prev_hash": prev_hash,
    }
    row["hash"] = _digest(prev_hash, row)
    tx.conn.execute(insert(_table), row)
    tx.changed("audit")
    return str(row["hash"])


def verify_chain(conn: Connection) -> ChainCheck:
    prev = GENESIS
    count = 0
    expected_seq = 1
    for row in conn.execute(select(_table).order_by(_table.c.seq)).mappings():
        count += 1
        if row["seq"] != expected_seq or row["prev_hash"] != prev:
            return ChainCheck(False, count, row["seq"], f"entry {row['seq']}: chain broken")
        if _digest(prev, dict(row)) != row["hash"]:
            return ChainCheck(False, count, row["seq"], f"entry {row['seq']}: content altered")
        prev = row["hash"]
        expected_seq += 1
    return ChainCheck(True, count, None, f"{count} audit entries, chain intact")


def recent(conn: Connection, limit: int = 100) -> list[AuditRecord]:
    rows = conn.execute(select(_table).order_by(_table.c.seq.desc()).limit(limit)).mappings()
    return [
        AuditRecord(
            r["seq"], r["at"], r["action"], r["staff_id"], r["approved_by"],
            r["entity_type"], r["entity_id"], r["details"],
        )
        for r in rows
    ]
