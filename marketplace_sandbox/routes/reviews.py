"""Customer reviews and the vendor's public reply."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy import select
from starlette.responses import Response

from marketplace_sandbox import clock
from marketplace_sandbox.context import credential_of, ctx_of
from marketplace_sandbox.db import Tx
from marketplace_sandbox.jsonutil import json_response, raw_json_response
from marketplace_sandbox.models import reviews
from marketplace_sandbox.resources import doc_of, etag, load_row, save_doc
from marketplace_sandbox.routes.common import api_router, list_cursor, parse_list_cursor
from marketplace_sandbox.schemas import ReplyBody

router = api_router("reviews")


@router.get("/reviews")
def list_reviews(request: Request, after: Annotated[str | None, Query(max_length=40)] = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    ctx = ctx_of(request)
    c = reviews.c
    with ctx.db.read() as conn:
        rows = conn.execute(select(c.pk, c.doc).where(
            c.vendor_id == credential_of(request).vendor_id, c.pk > parse_list_cursor(after))
            .order_by(c.pk).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = f'"{list_cursor(rows[-1].pk)}"' if more else "null"
    body = (f'{{"data":[{",".join(r.doc for r in rows)}],"next_cursor":{next_cursor},'
            f'"has_more":{str(more).lower()}}}')
    return raw_json_response(body.encode("utf-8"))


def _set_reply(tx: Tx, vendor_id: str, review_id: str, reply: dict[str, Any] | None,
               actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, reviews, vendor_id, review_id, "Review", for_update=True)
    doc = doc_of(row)
    current = doc.get("reply")
    if (current is None and reply is None) or (
            current is not None and reply is not None and current["text"] == reply["text"]):
        return doc  # already so: no new version, no event
    doc.update(reply=reply, version=row.version + 1, updated_at=clock.iso(clock.now()))
    save_doc(tx.conn, reviews, row, doc)
    tx.emit(vendor_id, "review.replied" if reply else "review.reply_deleted", "review",
            review_id, doc["version"], doc, actor)
    return doc


@router.post("/reviews/{review_id}/reply")
def reply(request: Request, review_id: str, body: ReplyBody) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    answer = {"text": body.text, "at": clock.iso(clock.now()), "by": credential.actor}
    with ctx.db.write() as tx:
        doc = _set_reply(tx, credential.vendor_id, review_id, answer, credential.actor)
    return json_response(doc, headers=etag(doc["version"]))


@router.delete("/reviews/{review_id}/reply")
def delete_reply(request: Request, review_id: str) -> Response:
    ctx, credential = ctx_of(request), credential_of(request)
    with ctx.db.write() as tx:
        doc = _set_reply(tx, credential.vendor_id, review_id, None, credential.actor)
    return json_response(doc, headers=etag(doc["version"]))
