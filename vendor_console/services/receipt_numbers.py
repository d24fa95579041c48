"""Human document numbers from the ``counters`` table: receipts ("A-000123") and shift Z numbers.

Counters only move forward inside the caller's write transaction, so a rolled-back sale does
not use up a number and two documents never share one.
"""

from __future__ import annotations

from sqlalchemy.dialects.sqlite import insert

from local_db.tables import counters
from local_db.writer import Tx

RECEIPT_COUNTER = "receipt"
SHIFT_COUNTER = "shift"
RECEIPT_DIGITS = 6


def next_value(tx: Tx, name: str) -> int:
    """Increment counter ``name`` (created at 1) and return its new value."""
    stmt = (
        insert(counters)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=[counters.c.name],
                               set_={"value": counters.c.value + 1})
        .returning(counters.c.value)
    )
    return int(tx.conn.execute(stmt).scalar_one())


def format_receipt_number(prefix: str, sequence: int) -> str:
    return f"{prefix}-{sequence:0{RECEIPT_DIGITS}d}"


def next_receipt_number(tx: Tx, device_prefix: str) -> str:
    """The next receipt number for this till, e.g. ``"A-000123"``."""
    return format_receipt_number(device_prefix, next_value(tx, RECEIPT_COUNTER))
