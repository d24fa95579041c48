"""Plain status records the core hands to the UI shell (no Qt, no SQLAlchemy objects)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DatabaseStatus:
    path: str
    ok: bool
    message: str  # e.g. "schema 0003, 214 products" or what is wrong


@dataclass(frozen=True, slots=True)
class ShellStatus:
    """What the main window's header and status bar show."""

    shop_name: str
    currency: str
    database: DatabaseStatus
    sync: str  # "Marketplace not configured", "Online", "Offline — 3 pending", …
    printer: str  # "No printer configured", "Printer ready", …
    staff_name: str | None  # signed-in staff member, None when nobody is signed in
    staff_role: str | None
