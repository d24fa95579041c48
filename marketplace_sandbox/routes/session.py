"""GET /me, device sign-in and refresh, devices."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from marketplace_sandbox import auth, clock
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response
from marketplace_sandbox.routes.common import api_router
from marketplace_sandbox.schemas import DeviceSignIn, EmptyBody, RefreshRequest
from marketplace_sandbox.vendors import get_vendor

router = api_router("session")
auth_router = APIRouter(tags=["auth"])


@auth_router.post("/auth/device", status_code=201)
def sign_in_device(request: Request, body: DeviceSignIn) -> Response:
    s = ctx_of(request).settings
    result = auth.register_device(ctx_of(request).db, api_key=body.api_key,
                                  pairing_code=body.pairing_code, device_name=body.device_name,
                                  access_ttl=s.access_token_ttl, refresh_ttl=s.refresh_token_ttl)
    return json_response(result, 201, {"Cache-Control": "no-store"})


@auth_router.post("/auth/refresh")
def refresh_tokens(request: Request, body: RefreshRequest) -> Response:
    s = ctx_of(request).settings
    result = auth.refresh(ctx_of(request).db, body.refresh_token,
                          access_ttl=s.access_token_ttl, refresh_ttl=s.refresh_token_ttl)
    if result.get("_reuse"):
        raise auth.unauthorized("token_revoked",
                                "This refresh token was already used; the device is revoked")
    return json_response(result, 200, {"Cache-Control": "no-store"})


@router.get("/me")
def me(request: Request) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    s = ctx.settings
    with ctx.db.read() as conn:
        vendor = get_vendor(conn, credential.vendor_id)
    policy = ctx.rate_overrides.get(credential.vendor_id) or s.default_policy
    return json_response({
        "vendor": {"id": vendor["id"], "name": vendor["name"], "currency": vendor["currency"],
                   "timezone": vendor["timezone"]},
        "credential": {"type": credential.kind, "id": credential.id},
        "device": {"id": credential.id} if credential.kind == "device" else None,
        "scopes": list(auth.SCOPES),
        "server_time": clock.iso(clock.server_now()),
        "limits": {
            "rate_limit": {"policy": policy.name, "quota": policy.quota,
                           "window_seconds": policy.window},
            "batch_rate_limit": {"policy": s.batch_policy.name, "quota": s.batch_policy.quota,
                                 "window_seconds": s.batch_policy.window},
            "max_batch_items": 100, "max_body_bytes": s.max_body_bytes,
            "feed_page_max": 1000, "long_poll_max_seconds": s.long_poll_max,
        },
        "idempotency_retention_seconds": s.idempotency_retention,
        "feed_retention_seconds": s.feed_retention,
    })


@router.get("/devices")
def devices(request: Request) -> Response:
    ctx = ctx_of(request)
    return json_response({"data": auth.list_devices(ctx.db, credential_of(request).vendor_id)})


@router.post("/devices/{device_id}/revoke")
def revoke(request: Request, device_id: str, body: EmptyBody | None = None) -> Response:
    ctx = ctx_of(request)
    credential = credential_of(request)
    return json_response(auth.revoke_device(ctx.db, credential.vendor_id, device_id,
                                            credential.actor))
