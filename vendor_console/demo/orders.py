"""Marketplace order history for the demo: orders, their lines and their status history.

Most orders went PENDING -> CONFIRMED -> PREPARING -> READY -> COMPLETED; a few were rejected
or cancelled. Lines snapshot name, price and tax. A handful of current orders (PENDING,
CONFIRMED, PREPARING, READY) give the order queue something to work on.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from local_db.types import format_utc
from vendor_console.demo.catalog import SellableVariant
from vendor_console.ids import new_id
from vendor_console.money import line_amount, tax_from_inclusive
from vendor_console.quantities import QTY_SCALE

FLOW = ("PENDING", "CONFIRMED", "PREPARING", "READY", "COMPLETED")
# minutes after the previous status: (low, high)
STEP_MINUTES = {"CONFIRMED": (1, 4), "PREPARING": (3, 15), "READY": (10, 40),
                "COMPLETED": (5, 55)}
FIRST = ["Aoife", "Ciarán", "Saoirse", "Niamh", "Oisín", "Róisín", "Seán", "Fionn", "Clodagh",
         "Declan", "Emer", "Tadhg", "Orla", "Liam", "Sinéad", "Cormac", "Maeve", "Darragh",
         "Grace", "Jack", "Ava", "Tom", "Priya", "Marek", "Lucía", "Chen"]
LAST = "BCDFGHKLMNOPRSTW"
NOTES = ["Please slice the loaf", "Birthday — could you add a candle?", "Running 10 min late",
         "No nuts please, allergy", "Gift wrap if possible", None, None, None, None, None]
ORDER_KINDS = {"baked": 60, "shelf": 25, "craft": 15}


@dataclass
class OrderBook:
    currency: str
    tax_bp: dict[str, int]
    number: int = 1000
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def add_order(
    book: OrderBook, rng: random.Random, placed: datetime,
    lines: list[tuple[SellableVariant, int]], *, final: str,
    reason: str | None = None, delivery: bool = False,
) -> tuple[str, datetime | None]:
    """One order that reached ``final`` status; returns (id, completed_at or None)."""
    book.number += 1
    order_id = new_id()
    history: list[tuple[str, datetime, str, str | None]] = [(FLOW[0], placed, "customer", None)]
    at = placed
    if final == "CANCELLED":
        at += timedelta(minutes=rng.uniform(1, 9))
        actor = "customer" if reason == "CUSTOMER_REQUEST" else "vendor"
        if reason == "VENDOR_TIMEOUT":
            at, actor = placed + timedelta(minutes=10), "system"
        history.append(("CANCELLED", at, actor, reason))
    else:
        for status in FLOW[1:FLOW.index(final) + 1]:
            low, high = STEP_MINUTES[status]
            at += timedelta(minutes=rng.uniform(low, high))
            history.append((status, at, "customer" if status == "COMPLETED" else "vendor", None))
    subtotal = tax_total = 0
    for line_no, (variant, qty) in enumerate(lines, start=1):
        bp = book.tax_bp[variant.tax_code]
        total = line_amount(variant.price, qty)
        tax = tax_from_inclusive(total, bp)
        subtotal += total
        tax_total += tax
        book.rows["order_lines"].append({
            "id": new_id(), "order_id": order_id, "line_no": line_no,
            "remote_variant_id": f"var_{variant.id.replace('-', '')[-16:]}",
            "variant_id": variant.id, "name": variant.name, "sku": variant.sku,
            "quantity": qty, "unit_price": variant.price, "tax_rate_bp": bp,
            "tax_amount": tax, "total": total, "note": None,
        })
    fee = 350 if delivery else 0
    ready = next((h[1] for h in history if h[0] == "READY"), None)
    completed = history[-1][1] if final in ("COMPLETED", "CANCELLED") else None
    stamp = format_utc(placed)
    book.rows["orders"].append({
        "id": order_id, "remote_id": f"ord_{order_id.replace('-', '')[-16:]}",
        "version": len(history), "number": str(book.number), "status": final,
        "fulfillment_type": "DELIVERY" if delivery else "PICKUP",
        "customer_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}.",
        "customer_note": rng.choice(NOTES), "pickup_code": f"{rng.randrange(10**4):04d}",
        "currency": book.currency, "subtotal": subtotal, "tax_total": tax_total,
        "delivery_fee": fee, "total": subtotal + fee, "placed_at": stamp,
        "accept_by": format_utc(placed + timedelta(minutes=10)),
        "estimated_ready_at": format_utc(ready or placed + timedelta(minutes=45)),
        "completed_at": format_utc(completed) if completed else None,
        "acknowledged_at": format_utc(placed + timedelta(seconds=rng.uniform(3, 40))),
        "extra": {}, "created_at": stamp, "updated_at": format_utc(history[-1][1]),
    })
    for status, when, actor, code in history:
        book.rows["order_status_history"].append({
            "id": new_id(), "order_id": order_id, "status": status, "at": format_utc(when),
            "actor_type": actor, "reason_code": code, "note": None,
        })
    return order_id, completed if final == "COMPLETED" else None


def order_lines(rng: random.Random, pick: Any) -> list[tuple[SellableVariant, int]]:
    """1-4 distinct items; whole cakes and boxes are popular online."""
    chosen: dict[str, tuple[SellableVariant, int]] = {}
    for _ in range(rng.choices([1, 2, 3, 4], weights=[40, 35, 17, 8])[0]):
        variant = pick()
        qty = (rng.choice([250, 500, 1000]) if variant.unit == "kg"
               else rng.choice([100, 200]) * QTY_SCALE if variant.unit == "g"
               else rng.choices([1, 2, 4], weights=[70, 22, 8])[0] * QTY_SCALE)
        chosen.setdefault(variant.id, (variant, qty))
    return list(chosen.values())


def final_status(rng: random.Random) -> tuple[str, str | None]:
    roll = rng.random()
    if roll < 0.90:
        return "COMPLETED", None
    if roll < 0.95:
        return "CANCELLED", rng.choice(["ITEM_UNAVAILABLE", "TOO_BUSY", "ITEM_UNAVAILABLE"])
    if roll < 0.98:
        return "CANCELLED", "CUSTOMER_REQUEST"
    return "CANCELLED", "VENDOR_TIMEOUT"


def current_queue(
    book: OrderBook, rng: random.Random, now: datetime, pick: Any
) -> list[str]:
    """Orders still in progress right now, newest first in the queue."""
    ids = []
    for minutes_ago, status in ((2, "PENDING"), (6, "PENDING"), (25, "CONFIRMED"),
                                (40, "CONFIRMED"), (55, "PREPARING"), (80, "READY")):
        placed = now - timedelta(minutes=minutes_ago + rng.uniform(0, 1))
        order_id, _ = add_order(book, rng, placed, order_lines(rng, pick), final=status)
        row = book.rows["orders"][-1]
        last = book.rows["order_status_history"][-1]
        if last["at"] > format_utc(now):  # never let a status lie in the future
            last["at"] = format_utc(now - timedelta(seconds=30))
            row["updated_at"] = last["at"]
        if status == "PENDING":
            row["acknowledged_at"] = None  # not yet seen on this till
        ids.append(order_id)
    return ids
