"""Printers set up on this till (the ``printers`` table), as plain records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, insert, select, update

from local_db.database import Database
from local_db.tables import print_jobs, printers
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.devices.device_writes import write_all_or_nothing
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.transports import open_transport
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id

InTx = Callable[[Tx, str], None]  # more work in a printer change's transaction (printer id)


@dataclass(frozen=True, slots=True)
class PrinterRecord:
    id: str
    name: str
    profile: PrinterProfile  # profile.url says how to reach it
    is_default: bool


def add_printer(db: Database, profile: PrinterProfile, *, default: bool = False,
                also: InTx | None = None) -> PrinterRecord:
    """Save a printer; ``profile.name`` must be unique, ``profile.url`` valid. ``also(tx, id)``
    runs in the same transaction (the audit entry)."""
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
        if also is not None:
            also(tx, printer_id)

    write_all_or_nothing(db, "The printer was not saved", write)
    return get_printer(db, printer_id)


def update_printer(db: Database, printer_id: str, profile: PrinterProfile, *,
                   default: bool | None = None, also: InTx | None = None) -> PrinterRecord:
    """Change a printer's set-up (name, connection, paper, code page, drawer)."""
    profile = replace(profile, name=profile.name.strip()).validated()
    if not profile.name:
        raise ValidationError("The printer needs a name.", field="name")
    try:
        open_transport(profile.url)
    except ValueError as exc:
        raise ValidationError(str(exc), field="url") from exc
    current = get_printer(db, printer_id)

    def write(tx: Tx) -> None:
        clash = tx.conn.execute(select(printers.c.id).where(
            func.lower(printers.c.name) == profile.name.lower(),
            printers.c.id != current.id)).first()
        if clash is not None:
            raise ValidationError(f"There is already a printer called {profile.name}.",
                                  field="name")
        values: dict[str, object] = {"name": profile.name, "url": profile.url,
                                     "profile": profile.to_json(), "updated_at": utc_now()}
        if default:
            tx.conn.execute(update(printers).values(is_default=False))
            values["is_default"] = True
        tx.conn.execute(update(printers).where(printers.c.id == current.id).values(values))
        tx.changed("printer", current.id)
        if also is not None:
            also(tx, current.id)

    write_all_or_nothing(db, "The printer was not saved", write)
    return get_printer(db, current.id)


def remove_printer(db: Database, name_or_id: str, *, also: InTx | None = None) -> PrinterRecord:
    """Remove a printer and its finished jobs. Refused while receipts still wait for it or
    their printing is uncertain: print, resolve or cancel them first."""
    record = get_printer(db, name_or_id)

    def write(tx: Tx) -> None:
        open_jobs = tx.conn.execute(select(func.count()).select_from(print_jobs).where(
            print_jobs.c.printer_id == record.id,
            print_jobs.c.status.in_(("pending", "sending", "unknown")))).scalar_one()
        if open_jobs:
            raise ValidationError(
                f"{record.name} still has {open_jobs} receipt(s) waiting or to check: print "
                "or cancel them first.", field="name")
        tx.conn.execute(delete(print_jobs).where(print_jobs.c.printer_id == record.id))
        tx.conn.execute(delete(printers).where(printers.c.id == record.id))
        if record.is_default:
            heir = tx.conn.execute(select(printers.c.id).order_by(printers.c.name)
                                   .limit(1)).first()
            if heir is not None:
                tx.conn.execute(update(printers).where(printers.c.id == heir.id)
                                .values(is_default=True))
        tx.changed("printer", record.id)
        if also is not None:
            also(tx, record.id)

    write_all_or_nothing(db, "The printer was not removed", write)
    return record


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
