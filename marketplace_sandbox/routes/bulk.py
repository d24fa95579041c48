"""Bulk jobs: POST /exports, POST /imports, GET /jobs/{id}, GET /jobs/{id}/download."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import File, Form, Request, UploadFile
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from marketplace_sandbox import jobs
from marketplace_sandbox.context import AppContext, credential_of, ctx_of
from marketplace_sandbox.jsonutil import json_response
from marketplace_sandbox.problems import field_error
from marketplace_sandbox.resources import doc_of, etag, load_row
from marketplace_sandbox.routes.common import api_router
from marketplace_sandbox.schemas import Strict

router = api_router("bulk")
Resource = Literal["categories", "products", "variants", "orders", "inventory_levels"]


def _catalog() -> list[Resource]:
    return ["categories", "products", "variants"]


class ExportBody(Strict):
    resources: Annotated[list[Resource], Field(min_length=1, max_length=5)] = Field(
        default_factory=_catalog)
    format: Literal["jsonl", "csv"] = "jsonl"


def _start(ctx: AppContext, vendor_id: str, job_id: str) -> None:
    task = asyncio.get_running_loop().create_task(run_in_threadpool(
        jobs.run, ctx.db, vendor_id, job_id, ctx.settings.base_path))
    ctx.tasks.add(task)
    task.add_done_callback(ctx.tasks.discard)


def _accepted(request: Request, doc: dict[str, object]) -> Response:
    base = ctx_of(request).settings.base_path
    return json_response(doc, 202, {"Location": f"{base}/jobs/{doc['id']}", **etag(1)})


@router.post("/exports", status_code=202)
async def post_export(request: Request, body: ExportBody) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    doc = await run_in_threadpool(lambda: jobs.create(
        ctx.db, credential.vendor_id, "export", body.model_dump(), actor=credential.actor))
    _start(ctx, credential.vendor_id, doc["id"])
    return _accepted(request, doc)


@router.post("/imports", status_code=202)
async def post_import(
    request: Request,
    file: Annotated[UploadFile, File()],
    source_format: Annotated[str, Form()] = "native_jsonl",
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    if source_format not in jobs.IMPORT_FORMATS:
        raise field_error("/source_format", "unsupported_format",
                          f"source_format is one of {', '.join(jobs.IMPORT_FORMATS)}")
    data = await file.read()
    params = {"source_format": source_format, "dry_run": dry_run, "filename": file.filename}
    doc = await run_in_threadpool(lambda: jobs.create(
        ctx.db, credential.vendor_id, "import", params, actor=credential.actor, data=data))
    _start(ctx, credential.vendor_id, doc["id"])
    return _accepted(request, doc)


@router.get("/jobs/{job_id}")
def get_job(request: Request, job_id: str) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        row = load_row(conn, jobs.jobs, credential_of(request).vendor_id, job_id, "Job")
    return json_response(doc_of(row), headers=etag(row.version))


@router.get("/jobs/{job_id}/download")
def download(request: Request, job_id: str) -> Response:
    ctx = ctx_of(request)
    body, media_type = jobs.download(ctx.db, credential_of(request).vendor_id, job_id)
    suffix = "csv" if media_type == "text/csv" else "jsonl"
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{job_id}.{suffix}"'})
