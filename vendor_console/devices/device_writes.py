"""One device-settings change = one transaction on the single writer, and a refused write is
an expected problem with a clear message (nothing was changed), not a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from local_db.database import Database
from local_db.writer import Tx
from vendor_console.errors import DomainError

T = TypeVar("T")


class DeviceSaveFailed(DomainError):
    """The database refused a device-settings write; the transaction rolled back."""


def write_all_or_nothing(db: Database, not_done: str, fn: Callable[[Tx], T]) -> T:
    """Run ``fn`` in one writer transaction; a database error becomes ``DeviceSaveFailed``
    opening with ``not_done`` ("The printer was not saved") and saying nothing changed."""
    try:
        return db.write(fn)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DeviceSaveFailed(
            f"{not_done}: the shop database refused the change ({reason}). Nothing was "
            "changed; the previous settings still apply. Try again, or check the disk.") from exc
