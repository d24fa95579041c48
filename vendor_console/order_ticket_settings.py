"""Which printers print a packing/kitchen ticket when an online order is accepted: a choice
per printer, off by default (declared here so `settings list` and `settings set` know it)."""

from __future__ import annotations

from vendor_console.settings import Settings, SettingSpec, declare

TICKET_PRINTERS = declare(SettingSpec(
    "orders.ticket_printers", str, "",
    "Printers that print a packing/kitchen ticket when an online order is accepted "
    "(names, comma-separated)"))


def ticket_printers(settings: Settings) -> list[str]:
    return [n.strip() for n in settings.get(TICKET_PRINTERS).split(",") if n.strip()]


def set_ticket_printer(settings: Settings, name: str, on: bool) -> list[str]:
    names = [n for n in ticket_printers(settings) if n != name] + ([name] if on else [])
    settings.set(TICKET_PRINTERS, ",".join(names))
    return names
