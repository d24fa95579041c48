"""Product images: multipart upload (PNG, JPEG, WebP; verified with Pillow) -> `img_…`,
attached to products through `image_ids` in a product PATCH."""

from __future__ import annotations

import hashlib
import io
import warnings
from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from PIL import Image
from sqlalchemy import insert
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from marketplace_sandbox import clock, ids
from marketplace_sandbox.catalog import check_client_ref
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.jsonutil import dumps, json_response
from marketplace_sandbox.models import images
from marketplace_sandbox.problems import field_error
from marketplace_sandbox.resources import doc_of, etag, load_row
from marketplace_sandbox.routes.common import api_router

router = api_router("images")
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_SIDE = 8000


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height), or a 422 for anything that is not a sane image."""
    if not data:
        raise field_error("/file", "empty", "The file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, width, height = probe.format, probe.width, probe.height
                probe.verify()
    except Exception:
        raise field_error("/file", "unsupported_image",
                          "Not a readable PNG, JPEG or WebP image") from None
    if kind not in FORMATS:
        raise field_error("/file", "unsupported_image", f"{kind} images are not accepted")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise field_error("/file", "image_too_large", f"Images may be at most {MAX_SIDE} px")
    return FORMATS[kind], width, height


@router.post("/images", status_code=201)
async def upload_image(request: Request, file: Annotated[UploadFile, File()],
                       client_ref: Annotated[str | None, Form(max_length=64)] = None) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    data = await file.read()
    content_type, width, height = await run_in_threadpool(inspect_image, data)

    def store() -> dict[str, Any]:
        image_id = ids.new_id("img")
        doc = {"id": image_id, "client_ref": client_ref, "version": 1,
               "content_type": content_type, "width": width, "height": height,
               "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
               "url": f"{ctx.settings.base_path}/images/{image_id}/content",
               "created_at": clock.iso(clock.now())}
        with ctx.db.write() as tx:
            check_client_ref(tx.conn, images, credential.vendor_id, client_ref, "image")
            tx.conn.execute(insert(images).values(
                id=image_id, vendor_id=credential.vendor_id, client_ref=client_ref,
                content_type=content_type, doc=dumps(doc), data=data))
            tx.emit(credential.vendor_id, "image.created", "image", image_id, 1, doc,
                    credential.actor)
        return doc

    doc = await run_in_threadpool(store)
    return json_response(doc, 201, etag(1))


@router.get("/images/{image_id}")
def get_image(request: Request, image_id: str) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        row = load_row(conn, images, credential_of(request).vendor_id, image_id, "Image")
    return json_response(doc_of(row), headers=etag(1))


@router.get("/images/{image_id}/content")
def image_content(request: Request, image_id: str) -> Response:
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        row = load_row(conn, images, credential_of(request).vendor_id, image_id, "Image")
    return Response(bytes(row.data), media_type=row.content_type,
                    headers={"Cache-Control": "private, max-age=86400"})
