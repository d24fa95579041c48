"""Customers placing and cancelling orders: used by the test-mode routes and the simulator."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select

from marketplace_sandbox import clock, faults, ids, vendors
from marketplace_sandbox.db import Database
from marketplace_sandbox.jsonutil import dumps
from marketplace_sandbox.models import (
    inventory_levels,
    locations,
    orders,
    products,
    reviews,
    variants,
)
from marketplace_sandbox.orders import mark_customer_cancel
from marketplace_sandbox.problems import Problem, field_error
from marketplace_sandbox.resources import CUSTOMER, doc_of, load_row, to_milli
from marketplace_sandbox.schemas import CustomerOrder, CustomerReview


def place_order(db: Database, body: CustomerOrder) -> dict[str, Any]:
    now = clock.now()
    with db.write() as tx:
        conn = tx.conn
        vendor = vendors.get_vendor(conn, body.vendor_id)
        if vendor["pause"]["state"] == "PAUSED":
            raise Problem(409, "store_paused", "The store is paused and takes no orders")
        currency = vendor["currency"]
        location_id = body.location_id or conn.execute(
            select(locations.c.id).where(locations.c.vendor_id == body.vendor_id)
            .order_by(locations.c.pk).limit(1)).scalar_one()
        lines = []
        subtotal = 0
        for index, line in enumerate(body.lines):
            pointer = f"/lines/{index}"
            vrow = conn.execute(select(variants).where(
                variants.c.id == line.variant_id, variants.c.vendor_id == body.vendor_id)).first()
            if vrow is None or vrow.deleted:
                raise field_error(pointer + "/variant_id", "unknown_reference",
                                  f"No variant {line.variant_id}")
            variant = doc_of(vrow)
            product = doc_of(conn.execute(select(products).where(
                products.c.id == vrow.product_id)).one())
            if variant["availability"]["status"] != "AVAILABLE" or product.get("deleted"):
                raise Problem(409, "item_unavailable", f"{product['name']} is not available")
            qty_m = to_milli(line.quantity, int(variant["precision"]), pointer + "/quantity")
            if qty_m <= 0:
                raise field_error(pointer + "/quantity", "must_be_positive", "quantity > 0")
            if variant["track_inventory"] and variant["inventory_policy"] == "DENY":
                level = conn.execute(select(inventory_levels).where(
                    inventory_levels.c.variant_id == line.variant_id,
                    inventory_levels.c.location_id == location_id)).first()
                available = 0 if level is None else level.on_hand_m - level.committed_m
                if available < qty_m:
                    raise Problem(409, "out_of_stock", f"{product['name']} is out of stock")
            unit = int(variant["price"]["amount"])
            total = int((Decimal(qty_m) * unit / 1000).to_integral_value())
            subtotal += total
            lines.append({
                "id": f"li_{index + 1}", "variant_id": line.variant_id,
                "product_id": vrow.product_id, "product_name": product["name"],
                "variant_name": variant["name"], "sku": variant.get("sku"),
                "quantity": line.quantity, "unit": variant["unit"],
                "precision": variant["precision"],
                "track_inventory": variant["track_inventory"],
                "unit_price": {"amount": unit, "currency": currency},
                "dietary_tags": product.get("dietary_tags", []), "note": line.note,
                "total": {"amount": total, "currency": currency},
            })
        delivery = body.fulfillment_type == "DELIVERY"
        fee_doc = vendor["fulfillment"]["delivery"].get("fee") if delivery else None
        fee = int(fee_doc["amount"]) if fee_doc else 0
        window = (body.accept_window_seconds if body.accept_window_seconds is not None
                  else faults.number("order_timeout", 5.0) or vendor["accept_window_seconds"])
        accept_by_us = clock.to_us(now) + int(window * 1_000_000)
        count = conn.execute(select(func.count()).select_from(orders).where(
            orders.c.vendor_id == body.vendor_id)).scalar_one()
        order_id = ids.new_id("ord")

        def money(amount: int) -> dict[str, Any]:
            return {"amount": amount, "currency": currency}

        doc = {
            "id": order_id, "number": f"A-{1001 + int(count)}", "version": 1,
            "status": "PENDING", "location_id": location_id,
            "accept_by": clock.iso_us(accept_by_us), "acknowledged_at": None,
            "fulfillment": {
                "type": body.fulfillment_type,
                "scheduled_for": clock.iso(body.scheduled_for) if body.scheduled_for else None,
                "estimated_ready_at": None, "pickup_code": f"{secrets.randbelow(10_000):04d}",
                "delivery": {"address": "1 Example Street"} if delivery else None,
            },
            "customer": {"display_name": body.customer_name, "phone_masked": "+44•••••123",
                         "note": body.note},
            "line_items": lines,
            "totals": {"subtotal": money(subtotal), "discount": money(0), "tax": money(0),
                       "delivery_fee": money(fee), "tip": money(0),
                       "total": money(subtotal + fee)},
            "payment_status": "PAID", "cancel_reason": None,
            "status_history": [{"status": "PENDING", "at": clock.iso(now), "actor": CUSTOMER,
                                "reason_code": None, "note": None}],
            "created_at": clock.iso(now), "updated_at": clock.iso(now),
        }
        conn.execute(insert(orders).values(
            id=order_id, vendor_id=body.vendor_id, number=doc["number"], status="PENDING",
            version=1, accept_by_us=accept_by_us, doc=dumps(doc)))
        tx.emit(body.vendor_id, "order.created", "order", order_id, 1, doc, CUSTOMER)
    return doc


def cancel_order(db: Database, vendor_id: str, order_id: str) -> dict[str, Any]:
    with db.write() as tx:
        return mark_customer_cancel(tx, vendor_id, order_id)


def leave_review(db: Database, body: CustomerReview) -> dict[str, Any]:
    now = clock.iso(clock.now())
    review_id = ids.new_id("rev")
    doc = {"id": review_id, "order_id": body.order_id, "version": 1, "rating": body.rating,
           "text": body.text, "customer": {"display_name": body.customer_name},
           "reply": None, "created_at": now, "updated_at": now}
    with db.write() as tx:
        vendors.get_vendor(tx.conn, body.vendor_id)
        if body.order_id is not None:
            load_row(tx.conn, orders, body.vendor_id, body.order_id, "Order")
        tx.conn.execute(insert(reviews).values(id=review_id, vendor_id=body.vendor_id,
                                               version=1, doc=dumps(doc)))
        tx.emit(body.vendor_id, "review.created", "review", review_id, 1, doc, CUSTOMER)
    return doc


def menu(db: Database, vendor_id: str) -> list[dict[str, Any]]:
    with db.read() as conn:
        vendors.get_vendor(conn, vendor_id)
        rows = conn.execute(select(products.c.id, products.c.doc).where(
            products.c.vendor_id == vendor_id, products.c.deleted.is_(False),
            products.c.visibility == "VISIBLE").order_by(products.c.pk)).all()
        out = []
        for row in rows:
            product = doc_of(row)
            options = [doc_of(v) for v in conn.execute(select(variants.c.doc).where(
                variants.c.product_id == row.id, variants.c.deleted.is_(False)))]
            available = [{"variant_id": v["id"], "name": v["name"], "price": v["price"],
                          "unit": v["unit"], "precision": v["precision"]}
                         for v in options if v["availability"]["status"] == "AVAILABLE"]
            if available:
                out.append({"product_id": row.id, "name": product["name"],
                            "dietary_tags": product.get("dietary_tags", []),
                            "variants": available})
    return out
