"""Opening the cash drawer: after a cash sale, or as an audited, permission-gated "no sale"."""

from __future__ import annotations

from local_db.database import Database
from local_db.writer import Tx
from vendor_console.devices.printer_link import DrawerResult, PrinterLink
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit


async def open_drawer_for_sale(link: PrinterLink) -> DrawerResult:
    """The drawer pulse after a sale with cash (the sale itself is the record)."""
    return await link.kick_drawer()


async def open_drawer_no_sale(db: Database, link: PrinterLink, actor: Actor, *,
                              approver: Actor | None = None, reason: str = "") -> DrawerResult:
    """Open the drawer without a sale: needs ``NO_SALE`` (or a manager's approval) and is
    written to the audit log before the pulse, so no drawer opens without a record."""
    approved_by = require(actor, Permission.NO_SALE, approver)

    def write(tx: Tx) -> None:
        audit.append(
            tx, "no_sale", staff_id=actor.staff_id,
            approved_by=None if approved_by is None else approved_by.staff_id,
            entity_type="printer", entity_id=None,
            details={"printer": link.profile.name, "reason": reason.strip()},
        )

    await db.write_async(write)
    return await link.kick_drawer()
