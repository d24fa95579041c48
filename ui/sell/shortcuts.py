"""The counter's keyboard shortcuts: one table, shown on the buttons and in the F1 help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shortcut:
    key: str
    label: str
    action: str  # the SellScreen method it calls


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("F1", "Help", "show_help"),
    Shortcut("F2", "Search", "focus_search"),
    Shortcut("F3", "Line note", "ask_note"),
    Shortcut("F4", "Quantity", "ask_quantity"),
    Shortcut("F5", "Line discount", "ask_line_discount"),
    Shortcut("Shift+F5", "Sale discount", "ask_sale_discount"),
    Shortcut("F6", "Change price", "ask_price"),
    Shortcut("Del", "Remove line", "remove_line"),
    Shortcut("F7", "Parked sales", "show_parked"),
    Shortcut("F8", "Park sale", "park"),
    Shortcut("F9", "Pay cash", "pay_cash"),
    Shortcut("F10", "Pay card", "pay_card"),
    Shortcut("F11", "Refund / receipts", "show_refunds"),
    Shortcut("F12", "Shift and cash", "show_shift"),
    Shortcut("Ctrl+D", "No sale (drawer)", "no_sale"),
    Shortcut("Ctrl+L", "Lock", "lock"),
)


def help_text() -> str:
    rows = "".join(f"<tr><td><b>{s.key}</b></td><td>{s.label}</td></tr>" for s in SHORTCUTS)
    return (
        "<h3>Counter shortcuts</h3><table cellpadding='4'>" + rows + "</table>"
        "<p>Scan a barcode at any time: it goes on the sale. Scan a receipt to refund it.<br>"
        "In the search box, Up/Down pick a result and Enter adds it.</p>"
    )
