"""Working online orders at the till: actions show at once and go to the marketplace through
the outbox. The server decides: an action it refuses is reverted by sync with its explanation.
An accept is refused once ``accept_by`` (corrected for the measured clock skew) has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.types import format_utc, parse_utc, utc_now
from local_db.writer import Tx
from vendor_console.errors import NotFound, ValidationError
from vendor_console.services import outbox

# action -> (statuses it may start from, the status it shows at once; None = unchanged)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "acknowledge": (frozenset({"PENDING"}), None),
    "accept": (frozenset({"PENDING"}), "CONFIRMED"),
    "reject": (frozenset({"PENDING"}), "CANCELLED"),
    "start-preparing": (frozenset({"CONFIRMED"}), "PREPARING"),
    "mark-ready": (frozenset({"CONFIRMED", "PREPARING"}), "READY"),
    "dispatch": (frozenset({"READY"}), "OUT_FOR_DELIVERY"),
    "complete": (frozenset({"READY", "OUT_FOR_DELIVERY"}), "COMPLETED"),
    "cancel": (frozenset({"CONFIRMED", "PREPARING", "READY"}), "CANCELLED"),
    "adjust-ready-time": (frozenset({"CONFIRMED", "PREPARING", "READY"}), None),
}


@dataclass(frozen=True, slots=True)
class OrderAction:
    order_id: str
    action: str
    status: str


class OrderService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def act(self, order_id: str, action: str, body: dict[str, Any] | None = None, *,
            now: datetime | None = None) -> OrderAction:
        """Apply ``action`` locally and queue it for the marketplace, in one transaction."""
        if action not in TRANSITIONS:
            raise ValidationError(f"“{action}” is not an order action.", field="action")
        sources, target = TRANSITIONS[action]

        def write(tx: Tx) -> OrderAction:
            conn = dbapi(tx.conn)
            row = conn.execute("SELECT status, remote_id, number, accept_by FROM orders "
                               "WHERE id = ?", (order_id,)).fetchone()
            if row is None:
                raise NotFound("That order is not on this till.")
            status, remote_id, number, accept_by = row
            if status not in sources:
                raise ValidationError(f"Order {number} is {status}; it cannot be "
                                      f"{action.replace('-', ' ')}ed now.", field="action")
            if action == "accept" and accept_by is not None:
                skew = conn.execute("SELECT clock_skew_ms FROM sync_cursors WHERE "
                                    "stream = 'changes'").fetchone()
                server_now = (now or utc_now()) + timedelta(milliseconds=skew[0] if skew else 0)
                if server_now >= parse_utc(accept_by):
                    raise ValidationError(f"Order {number} can no longer be accepted: its "
                                          "deadline has passed.", field="action")
            new_status = target or status
            conn.execute("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
                         (new_status, format_utc(utc_now()), order_id))
            outbox.enqueue(tx, "order", order_id, action, {
                "remote_id": remote_id, "number": number, "accept_by": None if accept_by is None
                else parse_utc(accept_by).isoformat(), "body": body or {}})
            tx.changed("order", order_id)
            return OrderAction(order_id, action, new_status)

        return self._db.write(write)
