"""Writing sales, refunds, orders and voids at chosen times, through the real write paths.

Counter documents go through ``insert_sale`` (the function the checkout and refund services
commit with); orders are written as the sync mirror stores them (rows in ``orders``,
``order_lines`` and ``order_status_history``, status updated in place).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from local_db.database import Database
from local_db.rollups import ROLLUP_TABLES, rebuild
from local_db.tables import (
    categories,
    order_lines,
    order_status_history,
    orders,
    products,
    variants,
)
from local_db.types import utc_now
from local_db.writer import Tx
from tests.conftest import ShopFixture
from vendor_console.ids import new_id
from vendor_console.services import audit
from vendor_console.services.sale_records import SaleLineRecord, SaleRecord, insert_sale

U = 1000  # one unit, scaled


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Item:
    product_id: str
    variant_id: str


def add_product(db: Database, name: str, price: int, category: str | None = None) -> Item:
    product_id, variant_id = new_id(), new_id()

    def write(tx: Tx) -> None:
        now = utc_now()
        stamps = {"created_at": now, "updated_at": now}
        category_id = None
        if category is not None:
            category_id = tx.conn.execute(
                select(categories.c.id).where(categories.c.name == category)).scalar()
            if category_id is None:
                category_id = new_id()
                tx.conn.execute(insert(categories), {"id": category_id, "name": category,
                                                     **stamps})
        tx.conn.execute(insert(products), {"id": product_id, "client_ref": new_id(),
                                           "name": name, "category_id": category_id, **stamps})
        tx.conn.execute(insert(variants), {"id": variant_id, "client_ref": new_id(),
                                           "product_id": product_id, "price": price, **stamps})

    db.write(write)
    return Item(product_id, variant_id)


Line = tuple[Item | None, int, int]  # (item or None for a free-text line, scaled qty, total)


def write_sale(tx: Tx, shop: ShopFixture, at: datetime, lines: list[Line], *,
               refund_of: SaleRecord | None = None, sale_id: str | None = None) -> SaleRecord:
    sale_id = sale_id or new_id()
    records = tuple(
        SaleLineRecord(new_id(), n, item.variant_id if item else None,
                       refund_of.lines[0].id if refund_of else None, "Item", None, "pc", 0,
                       qty, total * U // qty if qty else 0, total * U // qty if qty else 0,
                       0, 0, 0, total)
        for n, (item, qty, total) in enumerate(lines, start=1))
    total = sum(t for _, _, t in lines)
    record = SaleRecord(
        sale_id, f"T-{sale_id[-12:]}", "REFUND" if refund_of else "SALE",
        refund_of.id if refund_of else None, None, shop.owner.staff_id, shop.location_id, "EUR",
        True, total, 0, 0, 0, total, None, None, at, records, (), ())
    insert_sale(tx, record)
    return record


def write_order(tx: Tx, at: datetime, lines: list[Line], *, status: str = "COMPLETED",
                history: tuple[tuple[str, datetime, str | None, str | None], ...] = (),
                order_id: str | None = None) -> str:
    order_id = order_id or new_id()
    total = sum(t for _, _, t in lines)
    tx.conn.execute(insert(orders), {
        "id": order_id, "remote_id": f"ord_{order_id}", "version": 1, "number": order_id[-4:],
        "status": status, "currency": "EUR", "subtotal": total, "tax_total": 0,
        "delivery_fee": 0, "total": total, "placed_at": at, "extra": {},
        "created_at": at, "updated_at": at,
    })
    if lines:
        tx.conn.execute(insert(order_lines), [
            {"id": new_id(), "order_id": order_id, "line_no": n,
             "variant_id": item.variant_id if item else None, "name": "Item",
             "quantity": qty, "unit_price": total_ * U // qty if qty else 0, "tax_rate_bp": 0,
             "tax_amount": 0, "total": total_}
            for n, (item, qty, total_) in enumerate(lines, start=1)])
    for status_, when, actor, reason in history:
        add_history(tx, order_id, status_, when, actor=actor, reason=reason)
    return order_id


def add_history(tx: Tx, order_id: str, status: str, at: datetime, *, actor: str | None = None,
                reason: str | None = None) -> None:
    tx.conn.execute(insert(order_status_history), {
        "id": new_id(), "order_id": order_id, "status": status, "at": at,
        "actor_type": actor, "reason_code": reason, "note": None})


def set_order_status(tx: Tx, order_id: str, status: str) -> None:
    tx.conn.execute(update(orders).where(orders.c.id == order_id).values(status=status))


def delete_order(tx: Tx, order_id: str) -> None:
    tx.conn.execute(delete(order_status_history)
                    .where(order_status_history.c.order_id == order_id))
    tx.conn.execute(delete(order_lines).where(order_lines.c.order_id == order_id))
    tx.conn.execute(delete(orders).where(orders.c.id == order_id))


def write_void(tx: Tx, shop: ShopFixture, at: datetime, amount: int) -> None:
    audit.append(tx, "void_line", staff_id=shop.cashier.staff_id, entity_type="variant",
                 entity_id=None, details={"name": "Item", "quantity": U, "amount": amount},
                 at=at)


def rollup_rows(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup table's rows, leaving out rows whose measures are all zero."""
    result = {}
    for table in ROLLUP_TABLES:
        info = list(conn.exec_driver_sql(f"PRAGMA table_info({table})"))
        keys = sum(1 for c in info if c[5])  # primary-key columns come first in our tables
        rows = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        result[table] = [tuple(r) for r in rows if any(v != 0 for v in tuple(r)[keys:])]
    return result


def incremental_and_rebuilt(db: Database) -> tuple[dict[str, list[tuple[Any, ...]]],
                                                   dict[str, list[tuple[Any, ...]]]]:
    """The rollups as the triggers left them, and as a full recomputation makes them (the
    recomputation is rolled back, so the database is left as it was)."""
    class Undo(Exception):
        pass

    seen: dict[str, Any] = {}

    def compare(tx: Tx) -> None:
        seen["incremental"] = rollup_rows(tx.conn)
        rebuild(tx.conn)
        seen["rebuilt"] = rollup_rows(tx.conn)
        raise Undo

    with contextlib.suppress(Undo):
        db.write(compare)
    return seen["incremental"], seen["rebuilt"]
