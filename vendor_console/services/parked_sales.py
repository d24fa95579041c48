"""Parked sales: put a cart aside (a customer forgot their wallet), finish it later.

A parked cart is stored in the shop database, so it survives a restart or a power cut.
Resuming takes it off the list in the same transaction that reads it, so two tills can never
resume the same cart twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from local_db.database import Database
from local_db.tables import parked_sales
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services.pricing import Cart, CartLine, Discount
from vendor_console.services.shifts import default_location_id

MAX_LABEL = 100


@dataclass(frozen=True, slots=True)
class ParkedSummary:
    id: str
    label: str
    staff_id: str
    item_count: int
    total: int
    parked_at: datetime


@dataclass(frozen=True, slots=True)
class ParkedSale:
    summary: ParkedSummary
    cart: Cart


def _discount_json(d: Discount | None) -> dict[str, int] | None:
    return None if d is None else {"amount": d.amount, "bp": d.bp}


def _discount(data: Any) -> Discount | None:
    return None if not data else Discount(int(data.get("amount", 0)), int(data.get("bp", 0)))


def cart_to_json(cart: Cart) -> dict[str, Any]:
    return {
        "lines": [
            {"variant_id": ln.variant_id, "quantity": ln.quantity, "unit_price": ln.unit_price,
             "discount": _discount_json(ln.discount), "note": ln.note}
            for ln in cart.lines
        ],
        "sale_discount": _discount_json(cart.sale_discount),
        "note": cart.note,
    }


def cart_from_json(data: dict[str, Any]) -> Cart:
    lines = tuple(
        CartLine(str(ln["variant_id"]), int(ln["quantity"]),
                 None if ln.get("unit_price") is None else int(ln["unit_price"]),
                 _discount(ln.get("discount")), ln.get("note"))
        for ln in data.get("lines", [])
    )
    return Cart(lines, _discount(data.get("sale_discount")), data.get("note"))


def _parked(row: Any) -> ParkedSale:
    return ParkedSale(ParkedSummary(row.id, row.label, row.staff_id, row.item_count, row.total,
                                    row.parked_at), cart_from_json(row.cart))


class ParkedSalesService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def park(self, actor: Actor, cart: Cart, *, label: str = "", total: int = 0,
             location_id: str | None = None) -> ParkedSummary:
        """Store ``cart``; ``total`` is the quoted total, shown in the list of parked sales."""
        require(actor, Permission.SELL)
        if not cart.lines:
            raise ValidationError("There is nothing on the sale to park.")
        label = label.strip()[:MAX_LABEL]
        items = len(cart.lines)

        def write(tx: Tx) -> ParkedSummary:
            now = utc_now()
            summary = ParkedSummary(new_id(), label or f"Parked {now:%H:%M}", actor.staff_id,
                                    items, total, now)
            tx.conn.execute(insert(parked_sales), {
                "id": summary.id, "label": summary.label, "staff_id": actor.staff_id,
                "location_id": location_id or default_location_id(tx.conn),
                "cart": cart_to_json(cart), "item_count": items, "total": total,
                "parked_at": now,
            })
            tx.changed("parked_sale", summary.id)
            return summary

        return self._db.write(write)

    def list_parked(self) -> list[ParkedSummary]:
        with self._db.read() as conn:
            rows = conn.execute(select(parked_sales).order_by(parked_sales.c.parked_at))
            return [ParkedSummary(r.id, r.label, r.staff_id, r.item_count, r.total, r.parked_at)
                    for r in rows]

    def get(self, parked_id: str) -> ParkedSale:
        """Look at a parked sale without taking it off the list."""
        with self._db.read() as conn:
            row = conn.execute(
                select(parked_sales).where(parked_sales.c.id == parked_id)).first()
        if row is None:
            raise NotFound("That parked sale was already resumed on another till.")
        return _parked(row)

    def resume(self, actor: Actor, parked_id: str) -> ParkedSale:
        """Take a parked cart back (it leaves the list)."""
        require(actor, Permission.SELL)

        def write(tx: Tx) -> ParkedSale:
            row = tx.conn.execute(
                select(parked_sales).where(parked_sales.c.id == parked_id)).first()
            if row is None:
                raise NotFound("That parked sale was already resumed on another till.")
            tx.conn.execute(delete(parked_sales).where(parked_sales.c.id == parked_id))
            tx.changed("parked_sale", parked_id)
            return _parked(row)

        return self._db.write(write)
