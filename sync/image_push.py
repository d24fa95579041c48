"""Product images: the derived (largest WebP) file goes up as ``POST /images`` (multipart,
``client_ref`` = the local image id, so a retry never uploads twice) and the product's image list
is attached through ``PATCH /products/{id}`` with ``image_ids`` (If-Match).

Every image row (create, reorder, delete) ends by setting the product's list to the till's
current list, so the rows' lanes may run in any order and the last one leaves the marketplace
as the till has it. Alt text has no field in the API: an ``update`` row has nothing to send.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from local_db.database import Database
from local_db.rawsql import dbapi
from sync.client import ApiClient, ApiError
from sync.mirror import Mirror
from sync.outbox_store import OutRow
from sync.senders import Effect, Outcome
from sync.wire import Change

TRIES = 4


class ImageSender:
    def __init__(self, client: ApiClient, db: Database, images_dir: Path | None = None) -> None:
        self._client = client
        self._db = db
        self._dir = images_dir if images_dir is not None else Path(db.path).parent / "images"

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows[:1], rows[1:]

    def _image(self, image_id: str) -> tuple[str, str, str | None] | None:
        """(product id, file name, remote id) of a stored image, or None if it was removed."""
        with self._db.read() as conn:
            row = dbapi(conn).execute("SELECT product_id, file_name, remote_id FROM "
                                      "product_images WHERE id = ?", (image_id,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), row[2])

    def _product(self, product_id: str) -> tuple[str | None, bool, list[str | None]]:
        """(remote id, archived, remote ids of its images in order) for a product."""
        with self._db.read() as conn:
            raw = dbapi(conn)
            row = raw.execute("SELECT remote_id, archived_at IS NOT NULL FROM products "
                              "WHERE id = ?", (product_id,)).fetchone()
            images = [r[0] for r in raw.execute(
                "SELECT remote_id FROM product_images WHERE product_id = ? "
                "ORDER BY position, id", (product_id,))]
        if row is None:
            return None, True, []
        return row[0], bool(row[1]), images

    async def send(self, batch: list[OutRow]) -> Outcome:
        row = batch[0]
        if row.operation == "update":
            return Outcome(sent=[row])  # alt text stays on the till (no API field)
        effects: list[Effect] = []
        if row.operation == "create":
            image = await asyncio.to_thread(self._image, row.resource_id)
            if image is None:  # removed before it went up: its delete row sets the list
                return Outcome(sent=[row])
            product_id, file_name, remote = image
            if remote is None:
                remote = await self._upload(row, self._dir / file_name)
                effects.append(_adopt(row.resource_id, remote))
            uploaded = {row.resource_id: remote}
        else:
            product_id = str(row.payload.get("product_id") or row.resource_id)
            uploaded = {}
        outcome = await self._attach(row, product_id, uploaded)
        outcome.effects[:0] = effects
        return outcome

    async def _upload(self, row: OutRow, path: Path) -> str:
        content = await asyncio.to_thread(path.read_bytes)
        try:
            reply = await self._client.request(
                "POST", "/images", idempotency_key=row.idempotency_key,
                files={"file": (path.name, content, "image/webp")},
                data={"client_ref": row.resource_id})
            return str(reply.body["id"])
        except ApiError as exc:
            if exc.problem.code != "duplicate_client_ref":
                raise
            return str(exc.problem.raw.get("existing_id"))

    async def _attach(self, row: OutRow, product_id: str, uploaded: dict[str, str]) -> Outcome:
        remote, archived, _ = await asyncio.to_thread(self._product, product_id)
        if archived:
            return Outcome(sent=[row])
        if remote is None:
            return Outcome.retry_rows([row], "the product is not on the marketplace yet", None)
        for attempt in range(TRIES):
            _, _, images = await asyncio.to_thread(self._product, product_id)
            if uploaded:  # this row's own upload, not yet recorded locally
                images = await asyncio.to_thread(self._with_uploaded, product_id, uploaded)
            if any(i is None for i in images):
                return Outcome.retry_rows([row], "an image of this product is still on its "
                                          "way to the marketplace", None)
            current = (await self._client.request("GET", f"/products/{remote}")).body
            if current.get("deleted"):
                return Outcome(sent=[row])
            wanted = [str(i) for i in images]
            if list(current.get("image_ids") or []) == wanted:
                return Outcome(sent=[row], effects=[_apply(current)])
            version = int(current.get("version") or 0)
            digest = hashlib.sha256(f"{version}|{'|'.join(wanted)}".encode()).hexdigest()[:16]
            try:
                doc = (await self._client.request(
                    "PATCH", f"/products/{remote}", json={"image_ids": wanted},
                    idempotency_key=f"{row.idempotency_key}:{digest}",
                    headers={"If-Match": f'"{version}"'})).body
                return Outcome(sent=[row], effects=[_apply(doc)])
            except ApiError as exc:
                if exc.problem.code not in ("version_mismatch", "precondition_required") \
                        or attempt == TRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _with_uploaded(self, product_id: str, uploaded: dict[str, str]) -> list[str | None]:
        with self._db.read() as conn:
            return [uploaded.get(str(r[0]), r[1]) for r in dbapi(conn).execute(
                "SELECT id, remote_id FROM product_images WHERE product_id = ? "
                "ORDER BY position, id", (product_id,))]


def _adopt(image_id: str, remote: str) -> Effect:
    def effect(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE product_images SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                     (remote, image_id))
    return effect


def _apply(doc: dict[str, Any]) -> Effect:
    def effect(conn: sqlite3.Connection) -> None:
        Mirror(conn).apply([Change("", "product.pushed", "product", str(doc["id"]),
                                   int(doc.get("version") or 0), doc)])
    return effect
