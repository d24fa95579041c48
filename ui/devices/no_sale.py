""""No sale" at the counter (Ctrl+D): open the drawer without a sale. Needs the NO_SALE
permission, or a manager's PIN for this one opening; the core audits it before the pulse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.devices.bridge import current_runtime
from ui.devices.futures import deliver
from ui.sell.approval import ask_approval
from vendor_console.permissions import Actor, Permission

if TYPE_CHECKING:
    from ui.sell.sell_screen import SellScreenBase

NO_DRAWER = "No printer with a cash drawer is set up (Settings › Devices)."


def open_no_sale(screen: SellScreenBase) -> None:
    actor = screen.actor
    if actor is None:
        return
    runtime = current_runtime()
    if runtime is None or not runtime.running:
        screen.tell(NO_DRAWER)
        return

    def go(approver: Actor | None) -> None:
        screen.tell("Opening the drawer…")
        deliver(runtime.no_sale(actor, approver, reason="no sale at the counter"),
                on_success=lambda r: screen.tell(f"No sale: {r.message}"),
                on_failure=screen.failed, owner=screen)

    if actor.can(Permission.NO_SALE):
        go(None)
    else:
        screen.active_dialog = ask_approval(
            screen, screen.services, Permission.NO_SALE,
            "Opening the drawer without a sale needs a manager.", go)
