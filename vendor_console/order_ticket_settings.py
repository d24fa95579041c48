"""Which printers print a packing/kitchen ticket when an online order is accepted: a choice
per printer, off by default (declared here so `settings list` and `settings set` know it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vendor_console.settings import Settings, SettingSpec, declare

if TYPE_CHECKING:
    from local_db.database import Database

TICKET_PRINTERS = declare(SettingSpec(
    "orders.ticket_printers", str, "",
    "Printers that print a packing/kitchen ticket when an online order is accepted "
    "(names, comma-separated)"))


def ticket_printers(settings: Settings) -> list[str]:
    return [n.strip() for n in settings.get(TICKET_PRINTERS).split(",") if n.strip()]


def printer_choices(db: Database, settings: Settings) -> list[tuple[str, bool]]:
    """Every printer set up here, and whether it prints order tickets."""
    from vendor_console.devices.printers import list_printers

    chosen = set(ticket_printers(settings))
    return [(p.name, p.name in chosen) for p in list_printers(db)]


def set_ticket_printer(settings: Settings, name: str, on: bool) -> list[str]:
    names = [n for n in ticket_printers(settings) if n != name] + ([name] if on else [])
    settings.set(TICKET_PRINTERS, ",".join(names))
    return names
