"""The shop's time zone: analytics count sales and orders per shop-local business day, so a
change recomputes the zone's UTC offsets and rebuilds every rollup in it (one transaction, on
the writer: the figures never mix two zones). Slow on a long history: call from a worker."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from local_db.database import Database
from local_db.rollups import capture_timezone, offsets
from local_db.tables import shop
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import ValidationError
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit
from vendor_console.timezones import is_zone


@dataclass(frozen=True, slots=True)
class ZoneChange:
    zone: str
    previous: str
    rebuilt: bool  # False: it already was the shop's zone, nothing recomputed


def shop_timezone(db: Database) -> str:
    with db.read() as conn:
        zone = conn.execute(select(shop.c.timezone)).scalar()
    if zone is None:
        raise ValidationError("There is no shop on this till yet.")
    return str(zone)


def change_timezone(db: Database, actor: Actor, zone: str) -> ZoneChange:
    """Make ``zone`` the shop's time zone and rebuild the analytics in it (audited). Raises
    ``PermissionDenied`` or ``ValidationError``; then nothing changes."""
    require(actor, Permission.MANAGE_SETTINGS)
    zone = zone.strip()
    if not is_zone(zone):
        raise ValidationError(f"{zone!r} is not a time zone. Choose one from the list "
                              "(for example Europe/Dublin).", field="timezone")
    zone_offsets = offsets(zone)  # before the transaction: the writer is not held for it

    def write(tx: Tx) -> ZoneChange:
        previous = tx.conn.execute(select(shop.c.timezone)).scalar()
        if previous is None:
            raise ValidationError("There is no shop on this till yet.")
        rebuilt = capture_timezone(tx.conn, zone, zone_offsets)
        if previous != zone:
            tx.conn.execute(update(shop).values(timezone=zone, updated_at=utc_now()))
            audit.append(tx, "shop_timezone_changed", staff_id=actor.staff_id,
                         entity_type="shop", details={"from": previous, "to": zone})
            tx.changed("shop")
        if rebuilt:
            tx.changed("analytics")
        return ZoneChange(zone, str(previous), rebuilt)

    return db.write(write)
