"""Counter sales from the tills: idempotent by the client's sale id; refunds reference the
original sale; tracked variants move stock (negative allowed: the sale happened)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import insert, or_, select
from starlette.responses import Response

from marketplace_sandbox import clock, ids, inventory
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import dumps, json_response
from marketplace_sandbox.models import locations, sales, variants
from marketplace_sandbox.problems import field_error
from marketplace_sandbox.resources import doc_of, load_row, to_milli
from marketplace_sandbox.routes.common import api_router
from marketplace_sandbox.schemas import SaleBody

router = api_router("sales")


@router.post("/sales", status_code=201)
def post_sale(request: Request, body: SaleBody) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    vendor_id = credential.vendor_id
    with ctx.db.write() as tx:
        conn = tx.conn
        existing = conn.execute(select(sales.c.doc).where(
            sales.c.vendor_id == vendor_id, sales.c.client_sale_id == body.sale_id)).first()
        if existing is not None:
            return json_response({**doc_of(existing), "duplicate": True}, 200)
        load_row(conn, locations, vendor_id, body.location_id, "Location")
        original = None
        if body.kind == "REFUND":
            if body.refund_of is None:
                raise field_error("/refund_of", "required", "A refund names the original sale")
            original = conn.execute(select(sales.c.id).where(
                sales.c.vendor_id == vendor_id,
                or_(sales.c.client_sale_id == body.refund_of, sales.c.id == body.refund_of),
            )).first()
            if original is None:
                raise field_error("/refund_of", "unknown_reference",
                                  f"No sale {body.refund_of}")
        elif body.refund_of is not None:
            raise field_error("/refund_of", "not_allowed", "Only refunds reference a sale")
        sale_id = ids.new_id("sale")
        sign = -1 if body.kind == "SALE" else 1
        change_ids = []
        occurred_us = clock.to_us(body.occurred_at)
        for index, line in enumerate(body.lines):
            if line.variant_id is None:
                continue
            vrow = conn.execute(select(variants.c.doc).where(
                variants.c.id == line.variant_id, variants.c.vendor_id == vendor_id)).first()
            if vrow is None:
                raise field_error(f"/lines/{index}/variant_id", "unknown_reference",
                                  f"No variant {line.variant_id}")
            variant = doc_of(vrow)
            precision = int(variant.get("precision", 0))
            qty = to_milli(line.quantity, precision, f"/lines/{index}/quantity")
            if not variant.get("track_inventory"):
                continue
            entry = inventory.record(
                tx, vendor_id, client_change_id=f"sale:{body.sale_id}:{index}",
                type_="ADJUSTMENT", variant_id=line.variant_id, location_id=body.location_id,
                amount_m=sign * qty, precision=precision,
                reason="sold_pos" if sign < 0 else "returned", occurred_us=occurred_us,
                reference={"type": "pos_sale", "id": body.sale_id}, note=None,
                actor=credential.actor)
            change_ids.append(entry["change_id"])
        doc: dict[str, Any] = {
            "id": sale_id, "version": 1, **body.model_dump(mode="json"),
            "occurred_at": clock.iso(body.occurred_at),
            "refund_of_id": original.id if original is not None else None,
            "inventory_change_ids": change_ids, "recorded_at": clock.iso(clock.now()),
            "recorded_by": credential.actor,
        }
        conn.execute(insert(sales).values(id=sale_id, vendor_id=vendor_id,
                                          client_sale_id=body.sale_id, doc=dumps(doc)))
        tx.emit(vendor_id, "sale.created", "sale", sale_id, 1, doc, credential.actor)
    return json_response(doc, 201)
