"""Inventory levels, changes (ADJUSTMENT / PHYSICAL_COUNT) and the ledger."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy import select
from starlette.responses import Response

from marketplace_sandbox import inventory
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response, raw_json_response
from marketplace_sandbox.models import inventory_changes
from marketplace_sandbox.problems import Problem
from marketplace_sandbox.routes.catalog import _atomic_failure
from marketplace_sandbox.routes.common import (
    api_router,
    injected_rejection,
    list_cursor,
    parse_list_cursor,
)
from marketplace_sandbox.schemas import InventoryChanges

router = api_router("inventory")


@router.get("/inventory/levels")
def levels(request: Request,
           location_id: Annotated[str | None, Query(max_length=40)] = None,
           variant_id: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        data = inventory.level_docs(conn, credential_of(request).vendor_id,
                                    variant_id=variant_id, location_id=location_id)
    return json_response({"data": data, "next_cursor": None, "has_more": False})


@router.post("/inventory/changes")
def post_changes(request: Request, body: InventoryChanges) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    results: list[dict[str, Any]] = []
    with ctx.db.write() as tx:
        for index, change in enumerate(body.changes):
            base = {"index": index, "client_change_id": change.client_change_id}
            injected = injected_rejection(body.atomic, index)
            if injected is not None:
                results.append({**base, "status": "rejected",
                                "problem": injected.body(request.url.path)})
                continue
            try:
                with tx.savepoint():
                    outcome = inventory.apply_change(tx, credential.vendor_id, change,
                                                     credential.actor, f"/changes/{index}")
            except Problem as problem:
                if body.atomic:
                    raise _atomic_failure(problem, index) from None
                results.append({**base, "status": "rejected",
                                "problem": problem.body(request.url.path)})
                continue
            results.append({**base, **outcome})
    return json_response({"atomic": body.atomic, "results": results})


@router.get("/inventory/changes")
def ledger(request: Request,
           variant_id: Annotated[str | None, Query(max_length=40)] = None,
           location_id: Annotated[str | None, Query(max_length=40)] = None,
           after: Annotated[str | None, Query(max_length=40)] = None,
           limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Response:
    ctx = ctx_of(request)
    c = inventory_changes.c
    query = (select(c.pk, c.doc).where(c.vendor_id == credential_of(request).vendor_id,
                                       c.pk > parse_list_cursor(after))
             .order_by(c.pk).limit(limit + 1))
    if variant_id:
        query = query.where(c.variant_id == variant_id)
    if location_id:
        query = query.where(c.location_id == location_id)
    with ctx.db.read() as conn:
        rows = conn.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = f'"{list_cursor(rows[-1].pk)}"' if rows else "null"
    body = (f'{{"data":[{",".join(r.doc for r in rows)}],"next_cursor":{next_cursor},'
            f'"has_more":{str(more).lower()}}}')
    return raw_json_response(body.encode("utf-8"))
