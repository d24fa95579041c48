"""Packing/kitchen tickets for accepted online orders, printed through the device runtime on
the printers chosen for them (a per-printer choice, off by default). Pure text and bytes here;
the device thread queues and prints them like any other document (persisted, confirmed)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.receipt_builder import build_text_page
from vendor_console.order_ticket_settings import ticket_printers
from vendor_console.services.order_queue import OrderCard
from vendor_console.settings import Settings

if TYPE_CHECKING:
    from vendor_console.devices.runtime import DeviceRuntime

KIND = "order_ticket"


def ticket_text(card: OrderCard, prep_minutes: int | None = None) -> str:
    lines = [f"ORDER {card.number}",
             f"{card.fulfillment_type.title()} - {card.customer_name or 'Customer'}"]
    if prep_minutes is not None:
        lines.append(f"Ready in {prep_minutes} min")
    if card.delivery_address:
        lines.append(card.delivery_address)
    lines.append("-" * 20)
    for line in card.lines:
        lines.append(f"{line.quantity} x {line.name}")
        if line.note:
            lines.append(f"   note: {line.note}")
        if line.dietary_tags:
            lines.append(f"   [{', '.join(line.dietary_tags)}]")
    if card.customer_note:
        lines += ["-" * 20, f"Customer note: {card.customer_note}"]
    return "\n".join(lines)


def ticket_builder(card: OrderCard, prep_minutes: int | None = None
                   ) -> Callable[[PrinterProfile], bytes]:
    text = ticket_text(card, prep_minutes)
    return lambda profile: build_text_page(text, profile)


def print_ticket(runtime: DeviceRuntime, settings: Settings, card: OrderCard,
                 prep_minutes: int | None = None) -> list[Future[str | None]]:
    """Queue the order's ticket on each ticket printer (blocking read of the setting: call
    from a worker). No ticket printer chosen: nothing is printed."""
    build = ticket_builder(card, prep_minutes)
    return [runtime.print_document(KIND, build, printer=name)
            for name in ticket_printers(settings)]
