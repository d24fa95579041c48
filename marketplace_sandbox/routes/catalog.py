"""Categories, products, variants, availability and the catalog batch upsert."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Header, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from marketplace_sandbox import catalog, clock
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.db import Tx
from marketplace_sandbox.jsonutil import json_response, raw_json_response
from marketplace_sandbox.models import categories, products, variants
from marketplace_sandbox.problems import Problem, field_error, validation_failed
from marketplace_sandbox.resources import etag, load_row, parse_if_match, validate
from marketplace_sandbox.routes.common import (
    api_router,
    concurrent_edit,
    injected_rejection,
    list_cursor,
    parse_list_cursor,
)
from marketplace_sandbox.schemas import (
    AvailabilityBody,
    BatchObject,
    BatchUpsert,
    CategoryCreate,
    ProductCreate,
    VariantCreate,
)
from marketplace_sandbox.vendors import get_vendor

router = api_router("catalog")
IfMatch = Annotated[str | None, Header(alias="If-Match")]
MergePatch = Annotated[dict[str, Any], Body()]


def _currency(tx: Tx, vendor_id: str) -> str:
    return str(get_vendor(tx.conn, vendor_id)["currency"])


# --- categories ----------------------------------------------------------------------------

@router.get("/categories")
def list_categories(request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        rows = conn.execute(select(categories.c.doc).where(
            categories.c.vendor_id == credential_of(request).vendor_id,
            categories.c.deleted.is_(False)).order_by(categories.c.pk)).all()
    body = f'{{"data":[{",".join(r.doc for r in rows)}],"next_cursor":null,"has_more":false}}'
    return raw_json_response(body.encode())


@router.post("/categories", status_code=201)
def post_category(request: Request, body: CategoryCreate) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = catalog.create_category(tx, credential.vendor_id, body, credential.actor)
    return json_response(doc, 201, etag(1))


@router.patch("/categories/{category_id}")
def patch_category(request: Request, category_id: str, patch: MergePatch,
                   if_match: IfMatch = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    expected = parse_if_match(if_match, required=True)
    concurrent_edit(ctx, credential.vendor_id, "category", category_id)
    with ctx.db.write() as tx:
        doc = catalog.update_category(tx, credential.vendor_id, category_id, patch, expected,
                                      credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


@router.delete("/categories/{category_id}")
def delete_category(request: Request, category_id: str, if_match: IfMatch = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    expected = parse_if_match(if_match, required=True)
    with ctx.db.write() as tx:
        doc = catalog.delete_category(tx, credential.vendor_id, category_id, expected,
                                      credential.actor)
    return json_response(doc)


# --- products ------------------------------------------------------------------------------

@router.get("/products")
def list_products(  # noqa: PLR0917
    request: Request,
    after: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    category_id: Annotated[str | None, Query(max_length=40)] = None,
    visibility: Annotated[str | None, Query(max_length=20)] = None,
    client_ref: Annotated[str | None, Query(max_length=64)] = None,
    sku: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    ctx = ctx_of(request)
    vendor_id = credential_of(request).vendor_id
    query = (select(products.c.pk, products.c.id, products.c.doc)
             .where(products.c.vendor_id == vendor_id, products.c.deleted.is_(False),
                    products.c.pk > parse_list_cursor(after))
             .order_by(products.c.pk).limit(limit + 1))
    if category_id:
        query = query.where(products.c.category_id == category_id)
    if visibility:
        query = query.where(products.c.visibility == visibility)
    if client_ref:
        query = query.where(products.c.client_ref == client_ref)
    if sku:
        query = query.where(products.c.id.in_(
            select(variants.c.product_id).where(variants.c.vendor_id == vendor_id,
                                                variants.c.sku == sku,
                                                variants.c.deleted.is_(False))))
    with ctx.db.read() as conn:
        rows = conn.execute(query).all()
        more = len(rows) > limit
        rows = rows[:limit]
        embedded = catalog.variants_of(conn, [r.id for r in rows])
    data = ",".join(catalog.with_variants(r.doc, embedded[r.id]) for r in rows)
    next_cursor = f'"{list_cursor(rows[-1].pk)}"' if more else "null"
    body = f'{{"data":[{data}],"next_cursor":{next_cursor},"has_more":{str(more).lower()}}}'
    return raw_json_response(body.encode("utf-8"))


@router.post("/products", status_code=201)
def post_product(request: Request, body: ProductCreate) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = catalog.create_product(tx, credential.vendor_id, _currency(tx, credential.vendor_id),
                                     body, credential.actor)
    return json_response(doc, 201, {**etag(doc["version"]),
                                    "Location": f"{request.url.path}/{doc['id']}"})


@router.get("/products/{product_id}")
def get_product(request: Request, product_id: str) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        row = load_row(conn, products, credential_of(request).vendor_id, product_id, "Product")
        embedded = catalog.variants_of(conn, [product_id])[product_id]
    return raw_json_response(catalog.with_variants(row.doc, embedded).encode("utf-8"),
                             headers=etag(row.version))


@router.patch("/products/{product_id}")
def patch_product(request: Request, product_id: str, patch: MergePatch,
                  if_match: IfMatch = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    expected = parse_if_match(if_match, required=True)
    concurrent_edit(ctx, credential.vendor_id, "product", product_id)
    with ctx.db.write() as tx:
        doc = catalog.update_product(tx, credential.vendor_id, product_id, patch, expected,
                                     credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


@router.delete("/products/{product_id}")
def delete_product(request: Request, product_id: str, if_match: IfMatch = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    expected = parse_if_match(if_match, required=True)
    with ctx.db.write() as tx:
        doc = catalog.delete_product(tx, credential.vendor_id, product_id, expected,
                                     credential.actor)
    return json_response(doc)


# --- variants ------------------------------------------------------------------------------

@router.post("/products/{product_id}/variants", status_code=201)
def post_variant(request: Request, product_id: str, body: VariantCreate) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = catalog.create_variant(tx, credential.vendor_id,
                                     _currency(tx, credential.vendor_id), product_id, body,
                                     credential.actor)
    return json_response(doc, 201, etag(1))


@router.get("/variants/{variant_id}")
def get_variant(request: Request, variant_id: str) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        row = load_row(conn, variants, credential_of(request).vendor_id, variant_id, "Variant")
    return raw_json_response(row.doc.encode("utf-8"), headers=etag(row.version))


@router.patch("/variants/{variant_id}")
def patch_variant(request: Request, variant_id: str, patch: MergePatch,
                  if_match: IfMatch = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    expected = parse_if_match(if_match, required=True)
    concurrent_edit(ctx, credential.vendor_id, "variant", variant_id)
    with ctx.db.write() as tx:
        doc = catalog.update_variant(tx, credential.vendor_id,
                                     _currency(tx, credential.vendor_id), variant_id, patch,
                                     expected, credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


@router.delete("/variants/{variant_id}")
def delete_variant(request: Request, variant_id: str, if_match: IfMatch = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    expected = parse_if_match(if_match, required=True)
    with ctx.db.write() as tx:
        doc = catalog.delete_variant(tx, credential.vendor_id, variant_id, expected,
                                     credential.actor)
    return json_response(doc)


@router.post("/variants/{variant_id}/availability")
def post_availability(request: Request, variant_id: str, body: AvailabilityBody) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    until = clock.iso(body.until) if body.until else None
    with ctx.db.write() as tx:
        doc = catalog.set_availability(tx, credential.vendor_id, variant_id, body.status, until,
                                       credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


# --- batch upsert --------------------------------------------------------------------------

def _upsert_one(tx: Tx, vendor_id: str, currency: str, obj: BatchObject, index: int,  # noqa: PLR0912, PLR0917
                actor: dict[str, Any], refs: dict[str, str]) -> dict[str, Any]:
    prefix = f"/objects/{index}"
    table = {"CATEGORY": categories, "PRODUCT": products, "VARIANT": variants}[obj.type]
    target_id = obj.id
    if target_id is None and obj.client_ref is not None and obj.version is not None:
        target_id = catalog.find_by_client_ref(tx.conn, table, vendor_id, obj.client_ref)
        if target_id is None:
            raise field_error(prefix + "/client_ref", "unknown_reference",
                              "No object with this client_ref to update")
    if obj.version is None:  # create
        if target_id is not None:
            raise field_error(prefix + "/version", "required", "Updates need version")
        data = {**obj.data, "client_ref": obj.client_ref}
        if obj.type == "CATEGORY":
            doc = catalog.create_category(tx, vendor_id, validate(CategoryCreate, data,
                                                                  prefix + "/data"), actor)
        elif obj.type == "PRODUCT":
            doc = catalog.create_product(tx, vendor_id, currency,
                                         validate(ProductCreate, data, prefix + "/data"), actor,
                                         prefix + "/data")
        else:
            product_id = obj.product_id or (refs.get(obj.product_client_ref or "") if
                                            obj.product_client_ref else None)
            if product_id is None and obj.product_client_ref:
                product_id = catalog.find_by_client_ref(tx.conn, products, vendor_id,
                                                        obj.product_client_ref)
            if product_id is None:
                raise field_error(prefix + "/product_id", "required",
                                  "A new variant needs product_id or product_client_ref")
            doc = catalog.create_variant(tx, vendor_id, currency, product_id,
                                         validate(VariantCreate, data, prefix + "/data"), actor,
                                         prefix + "/data")
        if obj.client_ref:
            refs[obj.client_ref] = doc["id"]
        return doc
    if target_id is None:
        raise field_error(prefix + "/id", "required", "Updates need id or client_ref")
    if obj.type == "CATEGORY":
        return catalog.update_category(tx, vendor_id, target_id, obj.data, obj.version, actor,
                                       prefix + "/data")
    if obj.type == "PRODUCT":
        return catalog.update_product(tx, vendor_id, target_id, obj.data, obj.version, actor,
                                      prefix + "/data")
    return catalog.update_variant(tx, vendor_id, currency, target_id, obj.data, obj.version,
                                  actor, prefix + "/data")


@router.post("/catalog/batch-upsert")
def batch_upsert(request: Request, body: BatchUpsert) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    vendor_id = credential.vendor_id
    results: list[dict[str, Any]] = []
    refs: dict[str, str] = {}
    with ctx.db.write() as tx:
        currency = _currency(tx, vendor_id)
        for index, obj in enumerate(body.objects):
            base = {"index": index, "type": obj.type, "client_ref": obj.client_ref}
            injected = injected_rejection(body.atomic, index)
            if injected is not None:
                results.append({**base, "status": "rejected",
                                "problem": injected.body(request.url.path)})
                continue
            try:
                with tx.savepoint():
                    doc = _upsert_one(tx, vendor_id, currency, obj, index, credential.actor,
                                      refs)
            except Problem as problem:
                if body.atomic:
                    raise _atomic_failure(problem, index) from None
                results.append({**base, "status": "rejected",
                                "problem": problem.body(request.url.path)})
                continue
            results.append({**base, "status": "applied", "id": doc["id"],
                            "version": doc["version"], "data": doc})
    return json_response({"atomic": body.atomic, "results": results})


def _atomic_failure(problem: Problem, index: int) -> Problem:
    if problem.code == "validation_failed" and problem.errors:
        return validation_failed(problem.errors,
                                 f"Object {index} is not valid; nothing was applied")
    errors = [{"pointer": f"/objects/{index}", "code": problem.code,
               "detail": problem.detail or problem.code}]
    return Problem(422, "validation_failed", f"Object {index} failed ({problem.code}); "
                   "nothing was applied", errors=errors, **problem.extra)

