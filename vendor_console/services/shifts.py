"""Shifts: open with a float, cash in/out, X report (so far) and close with a Z report.

One shift may be open per location. Every cash movement is signed (into the drawer is
positive), so the cash a drawer should hold is the sum of its shift's movements:
float + cash sales - cash refunds + cash in - cash out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, RowMapping, insert, select, update

from local_db.database import Database
from local_db.rawsql import fetch_one, insert_rows
from local_db.tables import cash_movements, shifts
from local_db.types import parse_utc, utc_now
from local_db.writer import Tx
from vendor_console.errors import InvalidPrice, NotFound, ShiftAlreadyOpen, ShiftRequired
from vendor_console.ids import new_id
from vendor_console.money import MAX_AMOUNT
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit
from vendor_console.services.receipt_numbers import SHIFT_COUNTER, next_value
from vendor_console.services.shift_reports import ShiftReport, shift_report


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    id: str
    number: int  # the Z number
    location_id: str
    opened_by: str
    opened_at: datetime
    opening_float: int
    closed_by: str | None
    closed_at: datetime | None
    expected_cash: int | None
    counted_cash: int | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class CashMovementRecord:
    id: str
    shift_id: str
    kind: str  # FLOAT, IN, OUT, SALE, REFUND
    amount: int  # signed: into the drawer is positive
    reason: str | None
    occurred_at: datetime


def _shift(row: RowMapping) -> ShiftRecord:
    return ShiftRecord(
        row["id"], row["number"], row["location_id"], row["opened_by"], row["opened_at"],
        row["opening_float"], row["closed_by"], row["closed_at"], row["expected_cash"],
        row["counted_cash"],
    )


# Both run inside every sale's write: plain SQL on the DB-API fast path (local_db.rawsql).
_DEFAULT_LOCATION = (
    "SELECT id FROM locations WHERE archived_at IS NULL "
    "ORDER BY is_default DESC, created_at LIMIT 1"
)
_OPEN_SHIFT = (
    "SELECT id, number, location_id, opened_by, opened_at, opening_float, closed_by, "
    "closed_at, expected_cash, counted_cash FROM shifts "
    "WHERE location_id = ? AND closed_at IS NULL LIMIT 1"
)


def default_location_id(conn: Connection) -> str:
    row = fetch_one(conn, _DEFAULT_LOCATION)
    if row is None:
        raise NotFound("This till has no shop location yet; finish the shop setup first.")
    return str(row[0])


def open_shift_row(conn: Connection, location_id: str) -> ShiftRecord | None:
    row = fetch_one(conn, _OPEN_SHIFT, (location_id,))
    if row is None:
        return None
    return ShiftRecord(row[0], row[1], row[2], row[3], parse_utc(row[4]), row[5], row[6],
                       None if row[7] is None else parse_utc(row[7]), row[8], row[9])


def require_open_shift(conn: Connection, location_id: str) -> ShiftRecord:
    shift = open_shift_row(conn, location_id)
    if shift is None:
        raise ShiftRequired("Open a shift (count the float) before taking or giving money.")
    return shift


def _check_amount(amount: int, what: str) -> None:
    if not 0 <= amount <= MAX_AMOUNT:
        raise InvalidPrice(f"The {what} must be zero or more.", field="amount")


class ShiftService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def current_shift(self, location_id: str | None = None) -> ShiftRecord | None:
        with self._db.read() as conn:
            return open_shift_row(conn, location_id or default_location_id(conn))

    def open_shift(
        self, actor: Actor, opening_float: int, *, location_id: str | None = None,
        approver: Actor | None = None,
    ) -> ShiftRecord:
        approved = require(actor, Permission.OPEN_CLOSE_SHIFT, approver)
        _check_amount(opening_float, "opening float")

        def write(tx: Tx) -> ShiftRecord:
            where = location_id or default_location_id(tx.conn)
            if open_shift_row(tx.conn, where) is not None:
                raise ShiftAlreadyOpen("A shift is already open here; close it first.")
            now = utc_now()
            shift = ShiftRecord(new_id(), next_value(tx, SHIFT_COUNTER), where,
                                actor.staff_id, now, opening_float, None, None, None, None)
            tx.conn.execute(insert(shifts), {
                "id": shift.id, "number": shift.number, "location_id": where,
                "opened_by": actor.staff_id, "opened_at": now, "opening_float": opening_float,
            })
            if opening_float:
                self._movement(tx, shift.id, actor, "FLOAT", opening_float,
                               reason="Opening float")
            audit.append(tx, "shift_open", staff_id=actor.staff_id,
                         approved_by=approved.staff_id if approved else None,
                         entity_type="shift", entity_id=shift.id,
                         details={"number": shift.number, "opening_float": opening_float})
            tx.changed("shift", shift.id)
            return shift

        return self._db.write(write)

    def cash_in(self, actor: Actor, amount: int, reason: str, *,
                approver: Actor | None = None, location_id: str | None = None
                ) -> CashMovementRecord:
        return self._cash(actor, "IN", amount, reason, approver=approver,
                          location_id=location_id)

    def cash_out(self, actor: Actor, amount: int, reason: str, *,
                 approver: Actor | None = None, location_id: str | None = None
                 ) -> CashMovementRecord:
        return self._cash(actor, "OUT", amount, reason, approver=approver,
                          location_id=location_id)

    def x_report(self, shift_id: str) -> ShiftReport:
        with self._db.read() as conn:
            row = conn.execute(select(shifts).where(shifts.c.id == shift_id)).mappings().first()
            if row is None:
                raise NotFound("That shift no longer exists.")
            return shift_report(conn, _shift(row))

    def close_shift(
        self, actor: Actor, counted_cash: int, *, approver: Actor | None = None,
        location_id: str | None = None,
    ) -> ShiftReport:
        """Close the open shift with the cash counted in the drawer; returns the Z report."""
        approved = require(actor, Permission.OPEN_CLOSE_SHIFT, approver)
        _check_amount(counted_cash, "counted cash")

        def write(tx: Tx) -> ShiftReport:
            shift = require_open_shift(tx.conn, location_id or default_location_id(tx.conn))
            report = shift_report(tx.conn, shift)
            now = utc_now()
            tx.conn.execute(update(shifts).where(shifts.c.id == shift.id).values(
                closed_by=actor.staff_id, closed_at=now, expected_cash=report.expected_cash,
                counted_cash=counted_cash,
            ))
            closed = ShiftRecord(shift.id, shift.number, shift.location_id, shift.opened_by,
                                 shift.opened_at, shift.opening_float, actor.staff_id, now,
                                 report.expected_cash, counted_cash)
            z = shift_report(tx.conn, closed)
            audit.append(tx, "shift_close", staff_id=actor.staff_id,
                         approved_by=approved.staff_id if approved else None,
                         entity_type="shift", entity_id=shift.id,
                         details={"number": shift.number, "expected_cash": z.expected_cash,
                                  "counted_cash": counted_cash, "difference": z.difference})
            tx.changed("shift", shift.id)
            return z

        return self._db.write(write)

    def _cash(self, actor: Actor, kind: str, amount: int, reason: str, *,
              approver: Actor | None, location_id: str | None) -> CashMovementRecord:
        approved = require(actor, Permission.CASH_IN_OUT, approver)
        _check_amount(amount, "amount")
        if amount == 0:
            raise InvalidPrice("The amount must be more than zero.", field="amount")
        if not reason.strip():
            raise InvalidPrice("Say why the cash goes in or out.", field="reason")

        def write(tx: Tx) -> CashMovementRecord:
            shift = require_open_shift(tx.conn, location_id or default_location_id(tx.conn))
            signed = amount if kind == "IN" else -amount
            record = self._movement(tx, shift.id, actor, kind, signed, reason=reason.strip())
            audit.append(tx, "cash_in" if kind == "IN" else "cash_out",
                         staff_id=actor.staff_id,
                         approved_by=approved.staff_id if approved else None,
                         entity_type="shift", entity_id=shift.id,
                         details={"amount": amount, "reason": reason.strip()})
            return record

        return self._db.write(write)

    @staticmethod
    def _movement(tx: Tx, shift_id: str, actor: Actor, kind: str, amount: int, *,
                  reason: str | None, sale_id: str | None = None) -> CashMovementRecord:
        record = CashMovementRecord(new_id(), shift_id, kind, amount, reason, utc_now())
        insert_rows(tx.conn, cash_movements, [{
            "id": record.id, "shift_id": shift_id, "kind": kind, "amount": amount,
            "reason": reason, "sale_id": sale_id, "staff_id": actor.staff_id,
            "occurred_at": record.occurred_at,
        }])
        tx.changed("cash", shift_id)
        return record


def record_cash(tx: Tx, shift_id: str, actor: Actor, kind: str, amount: int, *,
                sale_id: str) -> None:
    """A sale's or refund's cash into (positive) or out of (negative) the drawer."""
    ShiftService._movement(tx, shift_id, actor, kind, amount, reason=None, sale_id=sale_id)
