"""Test-mode routes under /_test (mounted only when settings.test_mode is on): create vendors
and credentials, place orders as a customer, expire the feed, hold commits."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from marketplace_sandbox import auth, customers, feed
from marketplace_sandbox.config import RatePolicy
from marketplace_sandbox.context import ctx_of
from marketplace_sandbox.jsonutil import json_response, loads
from marketplace_sandbox.models import orders, vendors
from marketplace_sandbox.problems import Problem
from marketplace_sandbox.resources import doc_of, load_row
from marketplace_sandbox.schemas import CustomerOrder, CustomerReview, Name, Strict
from marketplace_sandbox.vendors import create_vendor

router = APIRouter(prefix="/_test", tags=["test"], include_in_schema=False)


class NewVendor(Strict):
    name: Name = "Test Vendor"
    currency: str = "EUR"
    timezone: str = "Europe/London"
    accept_window_seconds: Annotated[int, Field(ge=1)] = 600
    rate_quota: Annotated[int, Field(ge=1)] | None = None
    rate_window: Annotated[int, Field(ge=1)] = 60


class Prune(Strict):
    through_cursor: str


@router.post("/vendors", status_code=201)
def new_vendor(request: Request, body: NewVendor) -> Response:
    ctx = ctx_of(request)
    vendor_id, location_id = create_vendor(ctx.db, body.name, currency=body.currency,
                                           timezone=body.timezone,
                                           accept_window_seconds=body.accept_window_seconds)
    if body.rate_quota is not None:
        ctx.rate_overrides[vendor_id] = RatePolicy("default", body.rate_quota, body.rate_window)
    api_key = auth.create_api_key(ctx.db, vendor_id)
    code = auth.create_pairing_code(ctx.db, vendor_id, ctx.settings.pairing_code_ttl)
    return json_response({"vendor_id": vendor_id, "location_id": location_id,
                          "api_key": api_key, "pairing_code": code}, 201)


@router.post("/orders", status_code=201)
def place_order(request: Request, body: CustomerOrder) -> Response:
    ctx = ctx_of(request)
    doc = customers.place_order(ctx.db, body)
    ctx_of(request).wake_sweeper()
    return json_response(doc, 201)


@router.get("/vendors")
def list_vendors(request: Request) -> Response:
    with ctx_of(request).db.read() as conn:
        rows = conn.execute(select(vendors.c.id, vendors.c.doc).order_by(vendors.c.created_us))
        data = [{"id": r.id, "name": loads(r.doc)["name"]} for r in rows]
    return json_response({"data": data})


@router.get("/vendors/{vendor_id}/menu")
def menu(request: Request, vendor_id: str) -> Response:
    """What a customer can order: visible products with their available variants."""
    return json_response({"data": customers.menu(ctx_of(request).db, vendor_id)})


@router.get("/vendors/{vendor_id}/orders/{order_id}")
def customer_order(request: Request, vendor_id: str, order_id: str) -> Response:
    with ctx_of(request).db.read() as conn:
        row = load_row(conn, orders, vendor_id, order_id, "Order")
    return json_response(doc_of(row))


@router.post("/reviews", status_code=201)
def leave_review(request: Request, body: CustomerReview) -> Response:
    return json_response(customers.leave_review(ctx_of(request).db, body), 201)


@router.post("/vendors/{vendor_id}/orders/{order_id}/customer-cancel")
def customer_cancel(request: Request, vendor_id: str, order_id: str) -> Response:
    return json_response(customers.cancel_order(ctx_of(request).db, vendor_id, order_id))


@router.post("/vendors/{vendor_id}/feed/prune")
def prune_feed(request: Request, vendor_id: str, body: Prune) -> Response:
    seq = feed.parse_cursor(body.through_cursor, "through_cursor")
    upto = feed.prune(ctx_of(request).db, vendor_id, through_seq=seq)
    return json_response({"expired_through": upto})


@router.post("/holds/{name}/wait")
async def wait_hold(request: Request, name: str) -> Response:
    """Returns once a request sent with X-Test-Hold-Commit: name is about to commit."""
    hold = ctx_of(request).hold(name)
    reached = await run_in_threadpool(hold.reached.wait, 10)
    if not reached:
        raise Problem(408, "hold_not_reached", f"No request reached hold {name!r}")
    return json_response({"name": name, "reached": True})


@router.post("/holds/{name}/release")
async def release_hold(request: Request, name: str) -> Response:
    ctx_of(request).hold(name).release.set()
    await asyncio.sleep(0)
    return json_response({"name": name, "released": True})
