"""Webhook endpoints: list, create, rotate the secret, replay from a cursor, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import Field, StringConstraints
from sqlalchemy import select
from starlette.responses import Response

from marketplace_sandbox import feed, webhooks
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response
from marketplace_sandbox.models import webhook_endpoints
from marketplace_sandbox.resources import doc_of, etag
from marketplace_sandbox.routes.common import api_router
from marketplace_sandbox.schemas import Strict

router = api_router("webhooks")
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s]+$")]


class EndpointBody(Strict):
    url: Url
    types: Annotated[list[Annotated[str, StringConstraints(max_length=64)]],
                     Field(max_length=50)] | None = None


class ReplayBody(Strict):
    after: Annotated[str, StringConstraints(max_length=64)]


@router.get("/webhook-endpoints")
def list_endpoints(request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        rows = conn.execute(select(webhook_endpoints.c.doc).where(
            webhook_endpoints.c.vendor_id == credential_of(request).vendor_id,
            webhook_endpoints.c.deleted.is_(False)).order_by(webhook_endpoints.c.pk))
        data = [doc_of(r) for r in rows]
    return json_response({"data": data, "next_cursor": None, "has_more": False})


@router.post("/webhook-endpoints", status_code=201)
def create_endpoint(request: Request, body: EndpointBody) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = webhooks.create(tx, credential.vendor_id, body.url, body.types,
                              actor=credential.actor)
    return json_response(doc, 201, etag(1))


@router.post("/webhook-endpoints/{endpoint_id}/rotate-secret")
def rotate_secret(request: Request, endpoint_id: str) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = webhooks.rotate(tx, credential.vendor_id, endpoint_id,
                              overlap=ctx.settings.webhook_rotation_overlap,
                              actor=credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


@router.post("/webhook-endpoints/{endpoint_id}/replay")
def replay(request: Request, endpoint_id: str, body: ReplayBody) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    seq = feed.parse_cursor(body.after) or 0
    with ctx.db.write() as tx:
        doc = webhooks.replay(tx, credential.vendor_id, endpoint_id, seq, credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


@router.delete("/webhook-endpoints/{endpoint_id}")
def delete_endpoint(request: Request, endpoint_id: str) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = webhooks.delete(tx, credential.vendor_id, endpoint_id, credential.actor)
    return json_response(doc)
