"""Small helpers shared by the sync tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sync.conftest import Till
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart, CartLine, Tender
from vendor_console.services.shifts import ShiftService


def sell(till: Till, variant_id: str, quantity: int = 1) -> str:
    if till.scalar("SELECT 1 FROM shifts WHERE closed_at IS NULL") is None:
        ShiftService(till.db).open_shift(till.shop.owner, 0)
    checkout = CheckoutService(till.db)
    cart = Cart((CartLine(variant_id, quantity * QTY_SCALE),))
    total = checkout.quote(cart).total
    return checkout.complete_sale(till.shop.cashier, cart, [Tender("CARD", total)]).id


def server_on_hand(api: httpx.Client, variant: str) -> str:
    level = api.get("/inventory/levels", params={"variant_id": variant}).json()
    return str(level["data"][0]["on_hand"])


def server_sales(api: httpx.Client) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 1000}
        if after:
            params["after"] = after
        page = api.get("/changes", params=params).json()
        out += [c["data"] for c in page["data"] if c["resource_type"] == "sale"]
        if not page["has_more"]:
            return out
        after = page["next_cursor"]


def local_on_hand(till: Till, variant: str) -> int:
    return int(till.scalar("SELECT on_hand FROM stock_levels WHERE variant_id = ?", variant))
