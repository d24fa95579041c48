"""Orders: list, get, and the vendor actions of the state machine."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import Header, Query, Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.responses import Response

from marketplace_sandbox import customers, faults, orders
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response, raw_json_response
from marketplace_sandbox.models import orders as orders_table
from marketplace_sandbox.problems import Problem
from marketplace_sandbox.resources import etag, load_row, parse_if_match
from marketplace_sandbox.routes.common import api_router, list_cursor, parse_list_cursor
from marketplace_sandbox.schemas import (
    AcceptBody,
    AdjustReadyBody,
    CancelBody,
    CompleteBody,
    DispatchBody,
    NoteBody,
    RejectBody,
)

router = api_router("orders")
BODIES: dict[str, type[BaseModel]] = {
    "acknowledge": NoteBody, "accept": AcceptBody, "reject": RejectBody,
    "start-preparing": NoteBody, "mark-ready": NoteBody, "dispatch": DispatchBody,
    "complete": CompleteBody, "cancel": CancelBody, "adjust-ready-time": AdjustReadyBody,
}


@router.get("/orders")
def list_orders(request: Request,
                status: Annotated[str | None, Query(max_length=100)] = None,
                after: Annotated[str | None, Query(max_length=40)] = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    ctx = ctx_of(request)
    c = orders_table.c
    query = (select(c.pk, c.doc).where(c.vendor_id == credential_of(request).vendor_id,
                                       c.pk > parse_list_cursor(after))
             .order_by(c.pk).limit(limit + 1))
    if status:
        query = query.where(c.status.in_([s.strip().upper() for s in status.split(",")]))
    with ctx.db.read() as conn:
        rows = conn.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = f'"{list_cursor(rows[-1].pk)}"' if more else "null"
    body = (f'{{"data":[{",".join(r.doc for r in rows)}],"next_cursor":{next_cursor},'
            f'"has_more":{str(more).lower()}}}')
    return raw_json_response(body.encode("utf-8"))


@router.get("/orders/{order_id}")
def get_order(request: Request, order_id: str) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        row = load_row(conn, orders_table, credential_of(request).vendor_id, order_id, "Order")
    return raw_json_response(row.doc.encode("utf-8"), headers=etag(row.version))


def _action_route(action: str, model: type[BaseModel]) -> None:
    def handler(request: Request, order_id: str, body: Any = None,
                if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> Response:
        payload = body if body is not None else model()
        expected = parse_if_match(if_match, required=False)
        ctx, credential = ctx_of(request), credential_of(request)
        if faults.active("customer_cancel_race") is not None:
            with contextlib.suppress(Problem):
                customers.cancel_order(ctx.db, credential.vendor_id, order_id)
        with ctx.db.write() as tx:
            doc, _changed = orders.perform(tx, credential.vendor_id, order_id, action, payload,
                                           actor=credential.actor, expected_version=expected)
        return json_response(doc, headers=etag(doc["version"]))

    # The body's model differs per action; give FastAPI the real type (not a string).
    handler.__annotations__["body"] = model | None
    handler.__name__ = "order_" + action.replace("-", "_")
    router.post(f"/orders/{{order_id}}/{action}", name=handler.__name__,
                summary=f"Order action: {action}")(handler)


for _action, _model in BODIES.items():
    _action_route(_action, _model)
