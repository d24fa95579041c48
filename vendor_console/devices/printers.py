"""Printers set up on this till (the ``printers`` table), as plain records."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, insert, select, update

from local_db.database import Database
from local_db.tables import printers
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.transports import open_transport
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id


@dataclass(frozen=True, slots=True)
class PrinterRecord:
    id: str
    name: str
    profile: PrinterProfile  # profile.url says how to reach it
    is_default: bool


def add_printer(db: Database, profile: PrinterProfile, *, default: bool = False) -> PrinterRecord:
    """Save a printer; ``profile.name`` must be unique, ``profile.url`` valid."""
    profile = replace(profile, name=profile.name.strip()).validated()
    if not profile.name:
        raise ValidationError("The printer needs a name.", field="name")
    try:
        open_transport(profile.url)
    except ValueError as exc:
        raise ValidationError(str(exc), field="url") from exc
    printer_id = new_id()

    def write(tx: Tx) -> None:
        exists = tx.conn.execute(
            select(printers.c.id).where(func.lower(printers.c.name) == profile.name.lower())
        ).first()
        if exists is not None:
            raise ValidationError(f"There is already a printer called {profile.name}.",
                                  field="name")
        first = tx.conn.execute(select(printers.c.id).limit(1)).first() is None
        if default:
            tx.conn.execute(update(printers).values(is_default=False))
        now = utc_now()
        tx.conn.execute(insert(printers), {
            "id": printer_id, "name": profile.name, "url": profile.url,
            "profile": profile.to_json(), "is_default": default or first,
            "created_at": now, "updated_at": now,
        })
        tx.changed("printer", printer_id)

    db.write(write)
    return get_printer(db, printer_id)


def list_printers(db: Database) -> list[PrinterRecord]:
    with db.read() as conn:
        rows = conn.execute(select(printers).order_by(printers.c.name)).all()
    return [_record(row) for row in rows]


def get_printer(db: Database, name_or_id: str) -> PrinterRecord:
    """A printer by id or (case-insensitive) name; raises ``NotFound``."""
    key = name_or_id.strip()
    with db.read() as conn:
        row = conn.execute(select(printers).where(
            (printers.c.id == key) | (func.lower(printers.c.name) == key.lower()))).first()
    if row is None:
        raise NotFound(f"There is no printer called “{key}”. Add it in Settings › Printers.")
    return _record(row)


def default_printer(db: Database) -> PrinterRecord | None:
    with db.read() as conn:
        row = conn.execute(select(printers).order_by(printers.c.is_default.desc(),
                                                     printers.c.name).limit(1)).first()
    return None if row is None else _record(row)


def _record(row: object) -> PrinterRecord:
    data = dict(row._mapping)  # type: ignore[attr-defined]
    profile = PrinterProfile.from_json({**data["profile"], "url": data["url"],
                                        "name": data["name"]})
    return PrinterRecord(data["id"], data["name"], profile, bool(data["is_default"]))
