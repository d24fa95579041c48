"""Locations (shop, kitchen, market stall): stock is kept per location."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from starlette.responses import Response

from marketplace_sandbox import clock
from marketplace_sandbox.catalog import check_client_ref
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response
from marketplace_sandbox.models import locations
from marketplace_sandbox.resources import doc_of, etag, load_row, save_doc
from marketplace_sandbox.routes.common import api_router
from marketplace_sandbox.schemas import LocationBody, LocationPatch
from marketplace_sandbox.vendors import create_location

router = api_router("locations")


@router.get("/locations")
def list_locations(request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        rows = conn.execute(select(locations.c.doc).where(
            locations.c.vendor_id == credential_of(request).vendor_id).order_by(locations.c.pk))
        data = [doc_of(r) for r in rows]
    return json_response({"data": data, "next_cursor": None, "has_more": False})


@router.post("/locations", status_code=201)
def post_location(request: Request, body: LocationBody) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    with ctx.db.write() as tx:
        check_client_ref(tx.conn, locations, credential.vendor_id, body.client_ref, "location")
        doc = create_location(tx, credential.vendor_id, body.model_dump(), credential.actor,
                              body.client_ref)
    return json_response(doc, 201, etag(1))


@router.patch("/locations/{location_id}")
def patch_location(request: Request, location_id: str, body: LocationPatch) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    with ctx.db.write() as tx:
        row = load_row(tx.conn, locations, credential.vendor_id, location_id, "Location",
                       for_update=True)
        doc: dict[str, Any] = doc_of(row)
        changes = body.model_dump(exclude_unset=True)
        if any(doc.get(k) != v for k, v in changes.items()):
            doc.update(changes, version=row.version + 1, updated_at=clock.iso(clock.now()))
            save_doc(tx.conn, locations, row, doc)
            tx.emit(credential.vendor_id, "location.updated", "location", location_id,
                    doc["version"], doc, credential.actor)
    return json_response(doc, headers=etag(doc["version"]))
