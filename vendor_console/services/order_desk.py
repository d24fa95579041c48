"""Order actions as the Orders page offers them: each body checked before anything is
written (bad input changes nothing), then applied through :class:`OrderService` (shown at once,
sent through the outbox, reverted by sync with the marketplace's explanation).

``acknowledge_shown`` tells the marketplace a new order has been seen on this till, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.types import format_utc, utc_now
from local_db.writer import ChangeSet, Tx
from vendor_console.errors import ValidationError
from vendor_console.services import outbox
from vendor_console.services.order_queue import QueueSnapshot, load_queue
from vendor_console.services.orders import OrderAction, OrderService
from vendor_console.services.store_controls import StoreControls

REASON_CODES: tuple[tuple[str, str], ...] = (
    ("ITEM_UNAVAILABLE", "An item is unavailable"),
    ("TOO_BUSY", "Too busy"),
    ("STORE_CLOSED", "Store closed"),
    ("CLOSING_EARLY", "Closing early"),
    ("CANNOT_FULFILL_DELIVERY", "Cannot deliver"),
    ("CUSTOMER_REQUEST", "Customer asked"),
    ("SUSPECTED_FRAUD", "Suspected fraud"),
    ("DUPLICATE_ORDER", "Duplicate order"),
    ("OTHER", "Other"),
)
_CODES = {code for code, _ in REASON_CODES}
MAX_PREP_MINUTES = 24 * 60


def _minutes(value: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or \
            not 0 < value <= MAX_PREP_MINUTES:
        raise ValidationError(f"{what} must be between 1 and {MAX_PREP_MINUTES} minutes.",
                              field="prep_minutes")
    return value


def _reason(code: str) -> str:
    if code not in _CODES:
        raise ValidationError("Choose a reason from the list.", field="reason_code")
    return code


def _note(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > 500:
        raise ValidationError("Keep the explanation under 500 characters.", field="explanation")
    return text or None


class OrderDesk:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._orders = OrderService(db)

    def accept(self, order_id: str, prep_minutes: int, *,
               now: datetime | None = None) -> OrderAction:
        body = {"prep_minutes": _minutes(prep_minutes, "The preparation time")}
        return self._orders.act(order_id, "accept", body, now=now)

    def reject(self, order_id: str, reason_code: str, explanation: str | None = None, *,
               mark_sold_out: bool = False) -> OrderAction:
        body: dict[str, Any] = {"reason_code": _reason(reason_code)}
        if (note := _note(explanation)) is not None:
            body["explanation"] = note
        if mark_sold_out:
            if reason_code != "ITEM_UNAVAILABLE":
                raise ValidationError("Only an unavailable item can be marked sold out.",
                                      field="mark_unavailable")
            items = self._remote_variants(order_id)
            if not items:
                raise ValidationError("This order has no marketplace items to mark sold out.",
                                      field="mark_unavailable")
            body |= {"unavailable_items": items, "mark_unavailable": True}
        return self._orders.act(order_id, "reject", body)

    def start_preparing(self, order_id: str) -> OrderAction:
        return self._orders.act(order_id, "start-preparing")

    def mark_ready(self, order_id: str) -> OrderAction:
        return self._orders.act(order_id, "mark-ready")

    def dispatch(self, order_id: str) -> OrderAction:
        return self._orders.act(order_id, "dispatch")

    def complete(self, order_id: str, pickup_code: str | None = None) -> OrderAction:
        code = (pickup_code or "").strip()
        expected, kind = self._pickup(order_id)
        if kind == "PICKUP" and expected:
            if not code:
                raise ValidationError("Ask the customer for the pickup code.",
                                      field="pickup_code")
            if code != expected:
                raise ValidationError("That pickup code does not match this order.",
                                      field="pickup_code")
        return self._orders.act(order_id, "complete", {"pickup_code": code} if code else {})

    def cancel(self, order_id: str, reason_code: str,
               explanation: str | None = None) -> OrderAction:
        body: dict[str, Any] = {"reason_code": _reason(reason_code)}
        if (note := _note(explanation)) is not None:
            body["explanation"] = note
        return self._orders.act(order_id, "cancel", body)

    def adjust_ready_time(self, order_id: str, prep_minutes: int) -> OrderAction:
        body = {"prep_minutes": _minutes(prep_minutes, "The new preparation time")}
        return self._orders.act(order_id, "adjust-ready-time", body)

    def subscribe(self, callback: Callable[[ChangeSet], None]) -> None:
        """Called on the writer thread after each commit (the UI throttles these)."""
        self._db.subscribe(callback)

    def load_queue(self) -> QueueSnapshot:
        """The queue as it is now (blocking: call from a worker)."""
        return load_queue(self._db)

    def store_controls(self) -> StoreControls:
        return StoreControls(self._db)

    def acknowledge_shown(self, order_ids: Iterable[str]) -> list[str]:
        """Queue one acknowledgement per new order shown here that the marketplace has not
        heard about yet; returns the ids queued (none twice, ever)."""
        wanted = list(dict.fromkeys(order_ids))

        def write(tx: Tx) -> list[str]:
            conn = dbapi(tx.conn)
            queued: list[str] = []
            for order_id in wanted:
                row = conn.execute("SELECT status, remote_id, number, acknowledged_at FROM "
                                   "orders WHERE id = ?", (order_id,)).fetchone()
                if row is None or row[0] != "PENDING" or row[3] is not None:
                    continue
                if conn.execute("SELECT 1 FROM outbox WHERE resource_type = 'order' AND "
                                "resource_id = ? AND operation = 'acknowledge' LIMIT 1",
                                (order_id,)).fetchone():
                    continue
                outbox.enqueue(tx, "order", order_id, "acknowledge",
                               {"remote_id": row[1], "number": row[2], "body": {}})
                conn.execute("UPDATE orders SET acknowledged_at = ? WHERE id = ?",
                             (format_utc(utc_now()), order_id))
                tx.changed("order", order_id)
                queued.append(order_id)
            return queued

        return self._db.write(write) if wanted else []

    def dismiss_explanation(self, issue_id: str) -> None:
        now = format_utc(utc_now())

        def write(tx: Tx) -> None:
            dbapi(tx.conn).execute("UPDATE sync_issues SET resolved_at = ? WHERE id = ? AND "
                                   "kind = 'order_reverted'", (now, issue_id))
            tx.changed("sync_issue")
            tx.changed("order")

        self._db.write(write)

    def _remote_variants(self, order_id: str) -> list[str]:
        with self._db.read() as conn:
            return [str(r[0]) for r in dbapi(conn).execute(
                "SELECT DISTINCT remote_variant_id FROM order_lines WHERE order_id = ? AND "
                "remote_variant_id IS NOT NULL", (order_id,))]

    def _pickup(self, order_id: str) -> tuple[str | None, str | None]:
        with self._db.read() as conn:
            row = dbapi(conn).execute("SELECT pickup_code, fulfillment_type FROM orders "
                                      "WHERE id = ?", (order_id,)).fetchone()
        return (None, None) if row is None else (row[0], row[1])
