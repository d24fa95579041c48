"""Writing stock movements: the ledger row, its stock level and its outbox message, together.

Every stock change in the app goes through :func:`record`, so on-hand always equals the sum of
the ledger and every movement reaches the marketplace (ADJUSTMENT deltas, PHYSICAL_COUNT with
the expected value; never "set on_hand").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from local_db.rawsql import execute_many, fetch_one, insert_rows
from local_db.tables import stock_movements as _moves
from local_db.types import format_utc, utc_now
from local_db.writer import Tx
from vendor_console.ids import new_id
from vendor_console.services import outbox

REASONS = frozenset({
    "sold_pos", "returned", "received", "produced", "restock", "damaged", "expired",
    "shrinkage", "promotion", "correction", "count", "transfer_in", "transfer_out", "other",
    "order_committed", "order_released", "order_fulfilled",
})


@dataclass(frozen=True, slots=True)
class Movement:
    """A stock change to record. For counts give ``counted`` (and ``delta`` is derived)."""

    variant_id: str
    location_id: str
    reason: str
    delta: int = 0
    counted: int | None = None
    note: str | None = None
    reference_type: str | None = None
    reference_id: str | None = None
    occurred_at: datetime | None = None


def on_hand(conn: Connection, variant_id: str, location_id: str) -> int:
    # DB-API fast path: a count reads it once per movement (an import records thousands).
    level = fetch_one(conn, "SELECT on_hand FROM stock_levels WHERE variant_id = ? "
                            "AND location_id = ?", (variant_id, location_id))
    return int(level[0]) if level else 0


def ledger_sum(conn: Connection, variant_id: str, location_id: str) -> int:
    """On-hand recomputed from the ledger (used to check the cached level)."""
    total = conn.execute(
        select(func.coalesce(func.sum(_moves.c.delta), 0)).where(
            _moves.c.variant_id == variant_id, _moves.c.location_id == location_id
        )
    ).scalar()
    return int(total or 0)


_LEVEL_UPSERT = (
    "INSERT INTO stock_levels (variant_id, location_id, on_hand) VALUES (?, ?, ?) "
    "ON CONFLICT (variant_id, location_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand"
)


def record(
    tx: Tx, movements: list[Movement], *, staff_id: str | None, sync: bool = True
) -> list[str]:
    """Insert the movements, update their levels, and queue them for the marketplace.

    Batched: one statement each for the ledger rows, the level upserts and the outbox rows
    (this sits on the sale-commit hot path). Only counts read the current level first.
    """
    if not movements:
        return []
    now = utc_now()
    rows: list[dict[str, object]] = []
    levels: list[tuple[str, str, int]] = []
    messages: list[tuple[str, str, str, dict[str, object]]] = []
    pending: dict[tuple[str, str], int] = {}  # deltas of earlier movements in this batch
    for m in movements:
        if m.reason not in REASONS:
            raise ValueError(f"unknown stock reason {m.reason!r}")
        movement_id = new_id()
        key = (m.variant_id, m.location_id)
        if m.counted is not None:
            current = on_hand(tx.conn, m.variant_id, m.location_id) + pending.get(key, 0)
            kind, delta, expected = "PHYSICAL_COUNT", m.counted - current, current
        else:
            kind, delta, expected = "ADJUSTMENT", m.delta, None
        pending[key] = pending.get(key, 0) + delta
        occurred = m.occurred_at or now
        rows.append({
            "id": movement_id, "variant_id": m.variant_id, "location_id": m.location_id,
            "kind": kind, "delta": delta, "quantity": m.counted, "expected_on_hand": expected,
            "reason": m.reason, "note": m.note, "reference_type": m.reference_type,
            "reference_id": m.reference_id, "staff_id": staff_id, "occurred_at": occurred,
            "acknowledged_at": None,
        })
        levels.append((m.variant_id, m.location_id, delta))
        if sync:
            payload: dict[str, object] = {
                "type": kind, "client_change_id": movement_id, "variant_id": m.variant_id,
                "location_id": m.location_id, "occurred_at": format_utc(occurred),
            }
            if kind == "PHYSICAL_COUNT":
                payload.update(quantity=m.counted, expected_on_hand=expected)
            else:
                payload.update(delta=delta, reason=m.reason)
                if m.reference_id:
                    payload["reference"] = f"{m.reference_type}:{m.reference_id}"
            messages.append(("inventory_change", movement_id, "create", payload))
        tx.changed("stock", m.variant_id)
    execute_many(tx.conn, _LEVEL_UPSERT, levels)  # DB-API fast path: on every sale's write
    insert_rows(tx.conn, _moves, rows)
    if messages:
        outbox.enqueue_many(tx, messages)
    return [str(r["id"]) for r in rows]
