"""Bulk jobs: exports (JSONL or CSV, with the feed cursor they are consistent with) and
imports (native JSONL, Shopify product CSV, Square item library CSV; `dry_run`).

A job is a resource: each status change is a `job.updated` change in the feed, so clients can
follow it there or poll `GET /jobs/{id}`.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select

from marketplace_sandbox import catalog, clock, ids
from marketplace_sandbox.db import Database, Tx, cursor_of
from marketplace_sandbox.jsonutil import dumps
from marketplace_sandbox.models import (
    categories,
    feed_counters,
    inventory_levels,
    jobs,
    orders,
    products,
    variants,
)
from marketplace_sandbox.problems import Problem, field_error
from marketplace_sandbox.resources import doc_of, load_row, save_doc, validate
from marketplace_sandbox.schemas import BatchObject, CategoryCreate, ProductCreate, VariantCreate
from marketplace_sandbox.vendors import get_vendor

EXPORTABLE = {"categories": categories, "products": products, "variants": variants,
              "orders": orders}
IMPORT_FORMATS = ("native_jsonl", "shopify_products", "square_item_library")
MAX_IMPORT_ROWS = 10_000
CSV_COLUMNS = ["product_id", "product_name", "category_id", "visibility", "variant_id",
               "variant_name", "sku", "barcode", "price_amount", "currency", "unit",
               "precision", "track_inventory", "inventory_policy", "version"]


def create(db: Database, vendor_id: str, kind: str, params: dict[str, Any], *,
           actor: dict[str, Any], data: bytes | None = None) -> dict[str, Any]:
    job_id = ids.new_id("job")
    now = clock.iso(clock.now())
    doc = {"id": job_id, "kind": kind, "status": "PENDING", "version": 1, "params": params,
           "result": None, "errors": [], "cursor": None, "download_url": None,
           "created_at": now, "updated_at": now, "finished_at": None}
    with db.write() as tx:
        tx.conn.execute(insert(jobs).values(id=job_id, vendor_id=vendor_id, status="PENDING",
                                            version=1, doc=dumps(doc), input=data))
        tx.emit(vendor_id, "job.created", "job", job_id, 1, doc, actor)
    return doc


def _set(tx: Tx, vendor_id: str, job_id: str, changes: dict[str, Any],
         output: bytes | None = None) -> dict[str, Any]:
    row = load_row(tx.conn, jobs, vendor_id, job_id, "Job", for_update=True)
    doc = doc_of(row)
    doc.update(changes, version=row.version + 1, updated_at=clock.iso(clock.now()))
    extra: dict[str, Any] = {"status": doc["status"]}
    if output is not None:
        extra["output"] = output
    save_doc(tx.conn, jobs, row, doc, **extra)
    tx.emit(vendor_id, "job.updated", "job", job_id, doc["version"], doc,
            {"type": "system", "id": None})
    return doc


def run(db: Database, vendor_id: str, job_id: str, base_path: str) -> None:
    """Run a job to the end (on a worker thread)."""
    with db.write() as tx:
        doc = _set(tx, vendor_id, job_id, {"status": "RUNNING"})
    try:
        if doc["kind"] == "export":
            output, result, cursor = _export(db, vendor_id, doc["params"])
            with db.write() as tx:
                _set(tx, vendor_id, job_id, {
                    "status": "SUCCEEDED", "result": result, "cursor": cursor,
                    "finished_at": clock.iso(clock.now()),
                    "download_url": f"{base_path}/jobs/{job_id}/download"}, output)
        else:
            with db.read() as conn:
                data = conn.execute(select(jobs.c.input).where(jobs.c.id == job_id)).scalar_one()
            outcomes = _import(db, vendor_id, doc["params"], bytes(data or b""))
            counts: dict[str, int] = {}
            for outcome in outcomes:
                counts[outcome["status"]] = counts.get(outcome["status"], 0) + 1
            with db.write() as tx:
                _set(tx, vendor_id, job_id, {
                    "status": "SUCCEEDED", "finished_at": clock.iso(clock.now()),
                    "result": {"counts": counts, "rows": outcomes[:1000],
                               "dry_run": doc["params"]["dry_run"]}})
    except Exception as exc:  # a job reports its failure; the server keeps going
        problem = exc if isinstance(exc, Problem) else Problem(500, "internal_error", str(exc))
        with db.write() as tx:
            _set(tx, vendor_id, job_id, {"status": "FAILED",
                                         "finished_at": clock.iso(clock.now()),
                                         "errors": [problem.body("")]})


def fail_interrupted(db: Database) -> None:
    """At start-up: jobs a previous process left running will never finish."""
    with db.read() as conn:
        rows = conn.execute(select(jobs.c.id, jobs.c.vendor_id).where(
            jobs.c.status.in_(["PENDING", "RUNNING"]))).all()
    for row in rows:
        with db.write() as tx:
            _set(tx, row.vendor_id, row.id, {
                "status": "FAILED", "finished_at": clock.iso(clock.now()),
                "errors": [{"code": "interrupted", "detail": "The server restarted"}]})


# --- exports -------------------------------------------------------------------------------

def _export(db: Database, vendor_id: str, params: dict[str, Any]
            ) -> tuple[bytes, dict[str, Any], str]:
    with db.read() as conn:
        if conn.dialect.name == "postgresql":  # one snapshot for the cursor and the rows
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        seq = conn.execute(select(feed_counters.c.seq).where(
            feed_counters.c.vendor_id == vendor_id)).scalar_one()
        if params["format"] == "csv":
            body, count = _catalog_csv(conn, vendor_id)
            return body, {"counts": {"variants": count}}, cursor_of(int(seq))
        out = io.BytesIO()
        counts: dict[str, int] = {}
        for name in params["resources"]:
            if name == "inventory_levels":
                rows: Iterator[tuple[str, bytes]] = (
                    ("inventory_level", orjson.dumps({
                        "variant_id": r.variant_id, "location_id": r.location_id,
                        "on_hand_m": r.on_hand_m, "committed_m": r.committed_m,
                        "version": r.version}))
                    for r in conn.execute(select(inventory_levels).where(
                        inventory_levels.c.vendor_id == vendor_id)))
            else:
                table = EXPORTABLE[name]
                query = select(table.c.doc).where(table.c.vendor_id == vendor_id)
                if "deleted" in table.c:
                    query = query.where(table.c.deleted.is_(False))
                rows = ((name.rstrip("s"), r.doc.encode()) for r in
                        conn.execute(query.order_by(table.c.pk)))
            for kind, data in rows:
                out.write(b'{"type":"' + kind.encode() + b'","data":' + data + b"}\n")
                counts[name] = counts.get(name, 0) + 1
    return out.getvalue(), {"counts": counts}, cursor_of(int(seq))


def _catalog_csv(conn: Connection, vendor_id: str) -> tuple[bytes, int]:
    text = io.StringIO()
    writer = csv.DictWriter(text, CSV_COLUMNS)
    writer.writeheader()
    count = 0
    product_docs = {r.id: doc_of(r) for r in conn.execute(select(products.c.id, products.c.doc)
                    .where(products.c.vendor_id == vendor_id, products.c.deleted.is_(False)))}
    for row in conn.execute(select(variants.c.doc).where(
            variants.c.vendor_id == vendor_id, variants.c.deleted.is_(False))
            .order_by(variants.c.pk)):
        variant = doc_of(row)
        product = product_docs.get(variant["product_id"])
        if product is None:
            continue
        writer.writerow({
            "product_id": product["id"], "product_name": product["name"],
            "category_id": product["category_id"], "visibility": product["visibility"],
            "variant_id": variant["id"], "variant_name": variant["name"],
            "sku": variant["sku"], "barcode": variant["barcode"],
            "price_amount": variant["price"]["amount"],
            "currency": variant["price"]["currency"], "unit": variant["unit"],
            "precision": variant["precision"], "track_inventory": variant["track_inventory"],
            "inventory_policy": variant["inventory_policy"], "version": variant["version"]})
        count += 1
    return text.getvalue().encode("utf-8"), count


# --- imports -------------------------------------------------------------------------------

def _rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise field_error("/file", "not_utf8", "The file must be UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise field_error("/file", "empty", "The CSV file has no header row")
    rows = []
    for row in reader:
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in row.items()
                     if isinstance(v, str)})
        if len(rows) > MAX_IMPORT_ROWS:
            raise field_error("/file", "too_many_rows", f"At most {MAX_IMPORT_ROWS} rows")
    return rows


def _pick(row: dict[str, str], *names: str) -> str:
    for name in names:
        value = row.get(name.lower())
        if value:
            return value
    return ""


def _minor(text: str, pointer: str) -> int:
    try:
        value = Decimal(text.replace(",", "").strip() or "0")
    except InvalidOperation:
        raise field_error(pointer, "invalid_price", f"{text!r} is not a price") from None
    if value < 0:
        raise field_error(pointer, "invalid_price", "Prices cannot be negative")
    return int((value * 100).to_integral_value())


def _grouped(rows: list[dict[str, str]], *keys: str) -> Iterator[tuple[int, str,
                                                                       list[dict[str, str]]]]:
    groups: dict[str, tuple[int, list[dict[str, str]]]] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        handle = _pick(row, *keys)
        if handle not in groups:
            groups[handle] = (number, [])
        groups[handle][1].append(row)
    for handle, (number, members) in groups.items():
        yield number, handle, members


def _product_from_shopify(members: list[dict[str, str]], currency: str,
                          client_ref: str) -> dict[str, Any]:
    first = members[0]
    variants_out = []
    for row in members:
        options = {}
        for n in (1, 2, 3):
            name, value = _pick(row, f"Option{n} Name"), _pick(row, f"Option{n} Value")
            if name and value and value != "Default Title":
                options[name] = value
        policy = _pick(row, "Variant Inventory Policy").lower()
        variants_out.append({
            "name": " / ".join(options.values()) or "Default", "options": options,
            "sku": _pick(row, "Variant SKU", "SKU") or None,
            "barcode": _pick(row, "Variant Barcode", "Barcode") or None,
            "price": {"amount": _minor(_pick(row, "Variant Price", "Price"), "/price"),
                      "currency": currency},
            "track_inventory": bool(_pick(row, "Variant Inventory Tracker")),
            "inventory_policy": "CONTINUE" if policy == "continue" else "DENY"})
    status = _pick(first, "Status", "Published").lower()
    return {"client_ref": client_ref, "name": _pick(first, "Title") or "Untitled",
            "description": _pick(first, "Body (HTML)", "Description") or None,
            "visibility": "HIDDEN" if status in ("draft", "archived", "false") else "VISIBLE",
            "tags": [t.strip() for t in _pick(first, "Tags").split(",") if t.strip()][:50],
            "variants": variants_out}


def _product_from_square(members: list[dict[str, str]], currency: str,
                         client_ref: str) -> dict[str, Any]:
    first = members[0]
    variants_out = []
    for row in members:
        options = {}
        for n in (1, 2, 3):
            name, value = _pick(row, f"Option Name {n}"), _pick(row, f"Option Value {n}")
            if name and value:
                options[name] = value
        variants_out.append({
            "name": _pick(row, "Variation Name") or "Regular", "options": options,
            "sku": _pick(row, "SKU") or None,
            "price": {"amount": _minor(_pick(row, "Price"), "/price"), "currency": currency}})
    return {"client_ref": client_ref, "name": _pick(first, "Item Name") or "Untitled",
            "description": _pick(first, "Description") or None, "variants": variants_out}


def _import(db: Database, vendor_id: str, params: dict[str, Any],
            data: bytes) -> list[dict[str, Any]]:
    source, dry_run = params["source_format"], params["dry_run"]
    actor = {"type": "import", "id": None}
    outcomes: list[dict[str, Any]] = []

    def attempt(tx: Tx, row: int, label: str, fn: Callable[[], dict[str, Any]]) -> None:
        try:
            with tx.savepoint():
                doc = fn()
            outcomes.append({"row": row, "ref": label, "status": "created", "id": doc["id"]})
        except Problem as problem:
            if problem.code == "duplicate_client_ref":
                outcomes.append({"row": row, "ref": label, "status": "skipped",
                                 "id": problem.extra.get("existing_id"),
                                 "detail": "already imported"})
            else:
                outcomes.append({"row": row, "ref": label, "status": "rejected",
                                 "problem": problem.body("")})

    try:
        with db.write() as tx:
            currency = str(get_vendor(tx.conn, vendor_id)["currency"])
            if source == "native_jsonl":
                _import_jsonl(tx, vendor_id, currency, data, actor=actor, attempt=attempt)
            else:
                rows = _rows(data)
                keys = (("Handle", "URL handle") if source == "shopify_products"
                        else ("Reference Handle", "Item Name"))
                build = (_product_from_shopify if source == "shopify_products"
                         else _product_from_square)
                for number, handle, members in _grouped(rows, *keys):
                    ref = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{vendor_id}:{source}:{handle}"))

                    def create_one(members: list[dict[str, str]] = members,
                                   ref: str = ref, number: int = number) -> dict[str, Any]:
                        body = validate(ProductCreate, build(members, currency, ref),
                                        f"/rows/{number}")
                        return catalog.create_product(tx, vendor_id, currency, body, actor)

                    attempt(tx, number, handle, create_one)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return outcomes


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def _import_jsonl(tx: Tx, vendor_id: str, currency: str, data: bytes, *,
                  actor: dict[str, Any], attempt: Callable[..., None]) -> None:
    refs: dict[str, str] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        if number > MAX_IMPORT_ROWS:
            raise field_error("/file", "too_many_rows", f"At most {MAX_IMPORT_ROWS} lines")

        def create_one(line: bytes = line, number: int = number) -> dict[str, Any]:
            try:
                raw = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise field_error(f"/lines/{number}", "malformed_json",
                                  "Not a JSON object") from None
            obj = validate(BatchObject, raw, f"/lines/{number}")
            if obj.version is not None or obj.id is not None:
                raise field_error(f"/lines/{number}/version", "not_supported",
                                  "Imports create; use batch-upsert to update")
            data = {**obj.data, "client_ref": obj.client_ref}
            if obj.type == "CATEGORY":
                doc = catalog.create_category(tx, vendor_id, validate(CategoryCreate, data),
                                              actor)
            elif obj.type == "PRODUCT":
                doc = catalog.create_product(tx, vendor_id, currency,
                                             validate(ProductCreate, data), actor)
            else:
                parent = obj.product_id or refs.get(obj.product_client_ref or "") or (
                    catalog.find_by_client_ref(tx.conn, products, vendor_id,
                                               obj.product_client_ref)
                    if obj.product_client_ref else None)
                if parent is None:
                    raise field_error(f"/lines/{number}/product_id", "required",
                                      "A variant needs its product")
                doc = catalog.create_variant(tx, vendor_id, currency, parent,
                                             validate(VariantCreate, data), actor)
            if obj.client_ref:
                refs[obj.client_ref] = doc["id"]
            return doc

        attempt(tx, number, f"line {number}", create_one)


def download(db: Database, vendor_id: str, job_id: str) -> tuple[bytes, str]:
    with db.read() as conn:
        row = load_row(conn, jobs, vendor_id, job_id, "Job")
    doc = doc_of(row)
    if doc["kind"] != "export" or row.output is None:
        raise Problem(409, "job_not_ready", "This job has no file (yet)",
                      current_status=doc["status"])
    fmt = doc["params"]["format"]
    return bytes(row.output), "text/csv" if fmt == "csv" else "application/x-ndjson"

