"""Changing this till's devices (printers, scanners, customer display) needs someone allowed to
change settings (``MANAGE_SETTINGS``: the owner by default) or their PIN approval; every change
is audited in the same transaction as the change itself."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from local_db.writer import Tx
from vendor_console.devices import device_settings
from vendor_console.devices.device_settings import DeviceSettings
from vendor_console.devices.printers import (
    InTx,
    PrinterRecord,
    add_printer,
    remove_printer,
    update_printer,
)
from vendor_console.devices.profile import PrinterProfile
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit
from vendor_console.settings import Settings


def may_change_devices(actor: Actor | None, approver: Actor | None = None) -> bool:
    """What the Settings page shows: editable, or read-only with the reason."""
    if actor is None:
        return False
    return actor.can(Permission.MANAGE_SETTINGS) or (
        approver is not None and approver.can(Permission.MANAGE_SETTINGS))


def _auditor(action: str, actor: Actor, used: Actor | None, details: dict[str, Any]) -> InTx:
    def note(tx: Tx, printer_id: str) -> None:
        audit.append(tx, action, staff_id=actor.staff_id,
                     approved_by=used.staff_id if used is not None else None,
                     entity_type="printer", entity_id=printer_id, details=details)

    return note


def save_printer(settings: Settings, actor: Actor, profile: PrinterProfile, *,
                 printer_id: str | None, default: bool,
                 approver: Actor | None = None) -> PrinterRecord:
    """Add (``printer_id`` None) or change a printer. Raises ``PermissionDenied`` or
    ``ValidationError`` and then changes nothing."""
    used = require(actor, Permission.MANAGE_SETTINGS, approver)
    details = {"name": profile.name.strip(), "url": profile.url, "default": default,
               "width_mm": profile.width_mm, "code_page": profile.code_page,
               "drawer_pin": profile.drawer.pin}
    if printer_id is None:
        return add_printer(settings.db, profile, default=default,
                           also=_auditor("printer_added", actor, used, details))
    return update_printer(settings.db, printer_id, profile, default=default or None,
                          also=_auditor("printer_changed", actor, used, details))


def delete_printer(settings: Settings, actor: Actor, printer_id: str,
                   approver: Actor | None = None) -> PrinterRecord:
    used = require(actor, Permission.MANAGE_SETTINGS, approver)
    return remove_printer(settings.db, printer_id,
                          also=_auditor("printer_removed", actor, used, {"id": printer_id}))


def save_device_settings(settings: Settings, actor: Actor, values: DeviceSettings,
                         approver: Actor | None = None) -> DeviceSettings:
    """Store the scanner and display settings (one transaction, audited with what changed)."""
    used = require(actor, Permission.MANAGE_SETTINGS, approver)
    before = asdict(device_settings.load(settings))
    after = asdict(values)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}

    def note(tx: Tx) -> None:
        audit.append(tx, "device_settings_changed", staff_id=actor.staff_id,
                     approved_by=used.staff_id if used is not None else None,
                     entity_type="settings", entity_id="devices", details={"changed": changed})

    return device_settings.save(settings, values, also=note)
