"""Removing a line from a sale in progress: checked and audited (a common loss route)."""

from __future__ import annotations

from local_db.database import Database
from local_db.writer import Tx
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit


def void_line(db: Database, actor: Actor, *, variant_id: str, name: str, quantity: int,
              amount: int, approver: Actor | None = None) -> None:
    """Record that ``actor`` took a line (``quantity`` scaled, ``amount`` in minor units) off
    the sale on screen. Raises ``PermissionDenied`` unless the role or ``approver`` allows it."""
    approved = require(actor, Permission.VOID_LINE, approver)

    def write(tx: Tx) -> None:
        audit.append(tx, "void_line", staff_id=actor.staff_id,
                     approved_by=approved.staff_id if approved else None,
                     entity_type="variant", entity_id=variant_id,
                     details={"name": name, "quantity": quantity, "amount": amount})

    db.write(write)
