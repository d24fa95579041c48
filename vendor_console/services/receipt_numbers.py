"""Human document numbers from the ``counters`` table: receipts ("A-000123") and shift Z numbers.

Counters only move forward inside the caller's write transaction, so a rolled-back sale does
not use up a number and two documents never share one.
"""

from __future__ import annotations

from local_db.rawsql import fetch_one
from local_db.writer import Tx

RECEIPT_COUNTER = "receipt"
SHIFT_COUNTER = "shift"
RECEIPT_DIGITS = 6


_NEXT = (
    "INSERT INTO counters (name, value) VALUES (?, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
)


def next_value(tx: Tx, name: str) -> int:
    """Increment counter ``name`` (created at 1) and return its new value."""
    row = fetch_one(tx.conn, _NEXT, (name,))  # DB-API fast path: on every sale's write
    return int(row[0])


def format_receipt_number(prefix: str, sequence: int) -> str:
    return f"{prefix}-{sequence:0{RECEIPT_DIGITS}d}"


def next_receipt_number(tx: Tx, device_prefix: str) -> str:
    """The next receipt number for this till, e.g. ``"A-000123"``."""
    return format_receipt_number(device_prefix, next_value(tx, RECEIPT_COUNTER))
