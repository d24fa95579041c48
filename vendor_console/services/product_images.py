"""A product's images: add (processed by ``vendor_console.images``), reorder, alt text, remove.

Processing runs before the write; if the file is refused nothing is written, and if the write
fails the files just made are removed again. Every change is committed with its outbox row
(``product_image``: create, update, reorder, delete) for the sync engine, which uploads the
file (``POST /images``) and attaches it to the product.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from local_db.database import Database
from local_db.tables import product_images, products
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id
from vendor_console.images import ProcessedImage, process_image
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import outbox

MAX_ALT = 500
MAX_IMAGES = 20


@dataclass(frozen=True, slots=True)
class ImageRecord:
    id: str
    product_id: str
    position: int
    file_name: str  # the largest WebP, in the images folder
    width: int
    height: int
    alt_text: str
    derived: dict[str, Any]

    @property
    def lqip(self) -> str:
        return str(self.derived.get("lqip", ""))

    def file(self, size: int, fmt: str = "webp") -> str:
        return str(self.derived["sizes"][str(size)][fmt])


_SELECT = select(product_images.c.id, product_images.c.product_id, product_images.c.position,
                 product_images.c.file_name, product_images.c.width, product_images.c.height,
                 product_images.c.alt_text, product_images.c.derived)


class ProductImageService:
    def __init__(self, db: Database, images_dir: Path) -> None:
        self._db = db
        self.images_dir = images_dir

    def images(self, product_id: str) -> list[ImageRecord]:
        with self._db.read() as conn:
            return [ImageRecord(*r) for r in conn.execute(
                _SELECT.where(product_images.c.product_id == product_id)
                .order_by(product_images.c.position, product_images.c.id))]

    def add(self, actor: Actor, product_id: str, source: Path, alt_text: str = ""
            ) -> ImageRecord:
        require(actor, Permission.EDIT_CATALOG)
        alt = _alt(alt_text)
        processed = process_image(source, self.images_dir)

        def write(tx: Tx) -> str:
            client_ref = _product(tx, product_id)
            stored = tx.conn.execute(
                select(product_images.c.sha256).where(product_images.c.product_id == product_id)
            ).scalars().all()
            if processed.sha256 in stored:
                raise ValidationError(f"This product already has {source.name}.",
                                      field="image")
            if len(stored) >= MAX_IMAGES:
                raise ValidationError(f"A product can have at most {MAX_IMAGES} images.",
                                      field="image")
            position = tx.conn.execute(
                select(func.coalesce(func.max(product_images.c.position), -1) + 1)
                .where(product_images.c.product_id == product_id)).scalar_one()
            image_id = new_id()
            now = utc_now()
            tx.conn.execute(insert(product_images), {
                "id": image_id, "product_id": product_id, "position": position,
                "file_name": processed.largest, "sha256": processed.sha256,
                "width": processed.width, "height": processed.height, "alt_text": alt,
                "remote_id": None, "derived": processed.derived(), "created_at": now,
                "updated_at": now})
            outbox.enqueue(tx, "product_image", image_id, "create", {
                "product_id": product_id, "product_client_ref": client_ref,
                "file": processed.largest, "sha256": processed.sha256, "alt_text": alt,
                "position": position, "width": processed.width, "height": processed.height})
            tx.changed("product_image", image_id)
            return image_id

        try:
            image_id = self._db.write(write)
        except BaseException:
            self._forget(processed)
            raise
        return self._one(image_id)

    def set_alt_text(self, actor: Actor, image_id: str, text: str) -> ImageRecord:
        require(actor, Permission.EDIT_CATALOG)
        alt = _alt(text)

        def write(tx: Tx) -> None:
            record = self._in(tx, image_id)
            if record.alt_text == alt:
                return
            tx.conn.execute(update(product_images).where(product_images.c.id == image_id)
                            .values(alt_text=alt, updated_at=utc_now()))
            outbox.enqueue(tx, "product_image", image_id, "update", {"alt_text": alt})
            tx.changed("product_image", image_id)

        self._db.write(write)
        return self._one(image_id)

    def reorder(self, actor: Actor, product_id: str, image_ids: list[str]) -> list[ImageRecord]:
        """Put the product's images in this order (every image id exactly once)."""
        require(actor, Permission.EDIT_CATALOG)

        def write(tx: Tx) -> None:
            client_ref = _product(tx, product_id)
            current = tx.conn.execute(
                select(product_images.c.id).where(product_images.c.product_id == product_id)
                .order_by(product_images.c.position)).scalars().all()
            if sorted(current) != sorted(image_ids) or len(set(image_ids)) != len(image_ids):
                raise ValidationError("The images changed meanwhile; reopen the product.",
                                      field="image")
            if list(current) == image_ids:
                return
            now = utc_now()
            for position, image_id in enumerate(image_ids):
                tx.conn.execute(update(product_images).where(product_images.c.id == image_id)
                                .values(position=position, updated_at=now))
            outbox.enqueue(tx, "product_image", product_id, "reorder",
                           {"product_client_ref": client_ref, "order": image_ids})
            tx.changed("product_image", *image_ids)

        self._db.write(write)
        return self.images(product_id)

    def remove(self, actor: Actor, image_id: str) -> None:
        require(actor, Permission.EDIT_CATALOG)

        def write(tx: Tx) -> ImageRecord:
            record = self._in(tx, image_id)
            tx.conn.execute(delete(product_images).where(product_images.c.id == image_id))
            outbox.enqueue(tx, "product_image", image_id, "delete",
                           {"product_id": record.product_id})
            tx.changed("product_image", image_id)
            return record

        record = self._db.write(write)
        for size in record.derived.get("sizes", {}).values():
            for fmt in ("webp", "avif"):
                if fmt in size:
                    (self.images_dir / size[fmt]).unlink(missing_ok=True)

    def _one(self, image_id: str) -> ImageRecord:
        with self._db.read() as conn:
            row = conn.execute(_SELECT.where(product_images.c.id == image_id)).first()
        if row is None:
            raise NotFound("That image was removed.")
        return ImageRecord(*row)

    @staticmethod
    def _in(tx: Tx, image_id: str) -> ImageRecord:
        row = tx.conn.execute(_SELECT.where(product_images.c.id == image_id)).first()
        if row is None:
            raise NotFound("That image was removed.")
        return ImageRecord(*row)

    def _forget(self, processed: ProcessedImage) -> None:
        """Files of an add that was not stored; kept if another image row uses the same
        file (the same picture on another product)."""
        with self._db.read() as conn:
            used = conn.execute(select(product_images.c.id)
                                .where(product_images.c.sha256 == processed.sha256)).first()
        if used is None:
            for name in processed.files:
                (self.images_dir / name).unlink(missing_ok=True)


def _alt(text: str) -> str:
    alt = " ".join(text.split())
    if len(alt) > MAX_ALT:
        raise ValidationError(f"Alt text is at most {MAX_ALT} characters.", field="alt_text")
    return alt


def _product(tx: Tx, product_id: str) -> str:
    row = tx.conn.execute(select(products.c.client_ref, products.c.archived_at)
                          .where(products.c.id == product_id)).first()
    if row is None or row.archived_at is not None:
        raise NotFound("That product is not in the catalog.")
    return str(row.client_ref)
