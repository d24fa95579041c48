"""The vendor profile, hours, pause and resume."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Header, Request
from starlette.responses import Response

from marketplace_sandbox import clock
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response, merge_patch
from marketplace_sandbox.resources import etag, parse_if_match, validate
from marketplace_sandbox.routes.common import api_router, concurrent_edit
from marketplace_sandbox.schemas import (
    EmptyBody,
    HoursBody,
    PauseBody,
    SpecialHoursBody,
    VendorSettings,
)
from marketplace_sandbox.vendors import check_timezone, get_vendor, update_vendor

router = api_router("vendor")
EDITABLE = tuple(VendorSettings.model_fields)
IfMatch = Annotated[str | None, Header(alias="If-Match")]


@router.get("/vendor")
def read_vendor(request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        doc = get_vendor(conn, credential_of(request).vendor_id)
    return json_response(doc, headers=etag(doc["version"]))


@router.patch("/vendor")
def patch_vendor(request: Request, patch: Annotated[dict[str, Any], Body()],
                 if_match: IfMatch = None) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    expected = parse_if_match(if_match, required=True)
    concurrent_edit(ctx, credential.vendor_id, "vendor")

    def apply(doc: dict[str, Any]) -> None:
        editable = {k: doc.get(k) for k in EDITABLE}
        fields = validate(VendorSettings, merge_patch(editable, patch)).model_dump()
        check_timezone(fields["timezone"])
        doc.update(fields)

    with ctx.db.write() as tx:
        doc = update_vendor(tx, credential.vendor_id, apply, credential.actor,
                            expected_version=expected)
    return json_response(doc, headers=etag(doc["version"]))


@router.put("/vendor/hours")
def put_hours(request: Request, body: HoursBody, if_match: IfMatch = None) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    expected = parse_if_match(if_match, required=True)
    concurrent_edit(ctx, credential.vendor_id, "vendor")
    with ctx.db.write() as tx:
        doc = update_vendor(tx, credential.vendor_id,
                            lambda d: d.update(hours=[h.model_dump() for h in body.hours]),
                            credential.actor, expected_version=expected)
    return json_response(doc, headers=etag(doc["version"]))


@router.put("/vendor/special-hours")
def put_special_hours(request: Request, body: SpecialHoursBody,
                      if_match: IfMatch = None) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    expected = parse_if_match(if_match, required=True)
    concurrent_edit(ctx, credential.vendor_id, "vendor")
    with ctx.db.write() as tx:
        doc = update_vendor(
            tx, credential.vendor_id,
            lambda d: d.update(special_hours=[h.model_dump() for h in body.special_hours]),
            credential.actor, expected_version=expected)
    return json_response(doc, headers=etag(doc["version"]))


@router.post("/vendor/pause")
def pause(request: Request, body: PauseBody) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)

    def apply(doc: dict[str, Any]) -> None:
        until = clock.iso(body.until) if body.until else None
        if body.mode == "BUSY":
            doc["busy"] = {"extra_prep_minutes": body.extra_prep_minutes, "until": until}
        else:
            doc["pause"] = {"state": "PAUSED", "until": until, "reason": body.reason,
                            "set_by": credential.id}

    with ctx.db.write() as tx:
        doc = update_vendor(tx, credential.vendor_id, apply, credential.actor, "vendor.paused")
    return json_response(doc, headers=etag(doc["version"]))


@router.post("/vendor/resume")
def resume(request: Request, body: EmptyBody | None = None) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)

    def apply(doc: dict[str, Any]) -> None:
        doc["pause"] = {"state": "ONLINE", "until": None, "reason": None, "set_by": None}
        doc["busy"] = {"extra_prep_minutes": 0}

    with ctx.db.write() as tx:
        doc = update_vendor(tx, credential.vendor_id, apply, credential.actor, "vendor.resumed")
    return json_response(doc, headers=etag(doc["version"]))
