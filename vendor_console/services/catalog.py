"""The catalog: create, edit and archive products; search; find by barcode or SKU.

Every edit is one ``db.write``: the product, its variants, its search keywords and the outbox
row that tells the marketplace are committed together, or nothing is written. Validation that
needs no database lives in ``catalog_validation``, the checks and rows inside the transaction in
``catalog_writes``, the records handed out in ``catalog_records``.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select, update

from local_db import lookups
from local_db.database import Database
from local_db.search import SearchHit, search_products
from local_db.tables import categories, products, variants
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.barcodes import gtin_equivalents, normalize_barcode
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import catalog_writes as writes
from vendor_console.services import outbox
from vendor_console.services.catalog_records import (
    PRODUCT_FIELDS,
    CategoryRecord,
    ProductRecord,
    load_categories,
    load_product,
)
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft, clean_product

__all__ = ["CatalogService", "CategoryRecord", "ProductDraft", "ProductRecord", "VariantDraft"]

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


class CatalogService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading ---------------------------------------------------------------------------
    def get_product(self, product_id: str) -> ProductRecord:
        with self._db.read() as conn:
            return load_product(conn, product_id)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        with self._db.read() as conn:
            return search_products(conn, text, limit)

    def find_by_barcode(self, code: str) -> lookups.VariantRecord | None:
        """The variant with this barcode (a UPC also finds its EAN-13 form); a live one first.

        Raises ``InvalidBarcode`` for a GTIN with a wrong check digit."""
        found = None
        with self._db.read() as conn:
            for candidate in gtin_equivalents(normalize_barcode(code)):
                record = lookups.variant_by_barcode(conn, candidate)
                if record is not None and not record.archived:
                    return record
                found = found or record
        return found

    def find_by_sku(self, sku: str) -> lookups.VariantRecord | None:
        text = sku.strip()
        if not text:
            return None
        with self._db.read() as conn:
            return lookups.variant_by_sku(conn, text) or (
                lookups.variant_by_sku(conn, text.upper()) if text.upper() != text else None
            )

    def list_categories(self) -> list[CategoryRecord]:
        with self._db.read() as conn:
            return load_categories(conn)

    # -- writing ---------------------------------------------------------------------------
    def create_category(
        self, actor: Actor, name: str, parent_id: str | None = None, color: str | None = None
    ) -> CategoryRecord:
        require(actor, Permission.EDIT_CATALOG)
        clean = " ".join(name.split())
        if not clean or len(clean) > 200:
            raise ValidationError("Give the category a name (up to 200 characters).",
                                  field="name")
        if color is not None and not _COLOR.fullmatch(color):
            raise ValidationError("A category colour is written like #A0C4FF.", field="color")

        def write(tx: Tx) -> CategoryRecord:
            live = categories.c.archived_at.is_(None)
            if parent_id is not None and tx.conn.execute(
                select(categories.c.id).where(categories.c.id == parent_id, live)
            ).first() is None:
                raise NotFound("The parent category no longer exists.")
            siblings = tx.conn.execute(
                select(categories.c.name, categories.c.position)
                .where(categories.c.parent_id.is_(None) if parent_id is None
                       else categories.c.parent_id == parent_id, live)
            ).all()
            if any(s.name.casefold() == clean.casefold() for s in siblings):
                raise ValidationError(f"There is already a category called “{clean}”.",
                                      field="name")
            record = CategoryRecord(new_id(), clean, parent_id, color,
                                    max((s.position for s in siblings), default=-1) + 1)
            now = utc_now()
            tx.conn.execute(insert(categories), {**asdict(record), "created_at": now,
                                                 "updated_at": now})
            outbox.enqueue(tx, "category", record.id, "create", asdict(record))
            tx.changed("category", record.id)
            return record

        return self._db.write(write)

    def create_product(
        self, actor: Actor, draft: ProductDraft, *, approver: Actor | None = None
    ) -> ProductRecord:
        require(actor, Permission.EDIT_CATALOG, approver)
        clean = clean_product(draft)

        def write(tx: Tx) -> str:
            category_name = writes.check_references(tx.conn, clean)
            writes.check_unique(tx.conn, clean, product_id=None)
            product_id = new_id()
            now = utc_now()
            row = writes.product_row(clean, category_name)
            writes.release_archived(tx.conn, clean)
            tx.conn.execute(insert(products), {
                **row, "id": product_id, "client_ref": product_id, "created_at": now,
                "updated_at": now,
            })
            created = [writes.insert_variant(tx, product_id, v, i)
                       for i, v in enumerate(clean.variants)]
            payload = {"client_ref": product_id, **writes.api_fields(row), "variants": created}
            outbox.enqueue(tx, "product", product_id, "create", payload)
            tx.changed("product", product_id)
            return product_id

        return self.get_product(self._db.write(write))

    def update_product(
        self, actor: Actor, product_id: str, draft: ProductDraft, *, approver: Actor | None = None
    ) -> ProductRecord:
        """Apply ``draft``: variants with an ``id`` are edited, new ones created, and stored
        variants missing from the draft archived. Nothing changed = nothing written."""
        require(actor, Permission.EDIT_CATALOG, approver)
        clean = clean_product(draft)

        self._db.write(lambda tx: update_in_tx(tx, product_id, clean))
        return self.get_product(product_id)

    def archive_product(
        self, actor: Actor, product_id: str, *, approver: Actor | None = None
    ) -> None:
        """Tombstone the product: gone from search and the till, kept for old sales."""
        require(actor, Permission.EDIT_CATALOG, approver)

        def write(tx: Tx) -> None:
            row = tx.conn.execute(
                select(products.c.client_ref, products.c.version, products.c.archived_at)
                .where(products.c.id == product_id)
            ).first()
            if row is None:
                raise NotFound("That product is not in the catalog.")
            if row.archived_at is not None:
                return
            now = utc_now()
            tx.conn.execute(update(products).where(products.c.id == product_id)
                            .values(archived_at=now, updated_at=now))
            outbox.enqueue(tx, "product", product_id, "delete",
                           {"client_ref": row.client_ref, "base_version": row.version})
            tx.changed("product", product_id)

        self._db.write(write)


def update_in_tx(tx: Tx, product_id: str, clean: ProductDraft) -> bool:
    """Apply the cleaned ``clean`` to the stored product inside ``tx`` (see ``update_product``);
    returns False when nothing changed (and nothing was written)."""
    current = load_product(tx.conn, product_id)
    if current.archived_at is not None:
        raise NotFound(f"{current.name} was removed from the catalog; it cannot be "
                       "edited.")
    stored = {v.id: v for v in current.variants}
    unknown = [v.id for v in clean.variants if v.id is not None and v.id not in stored]
    if unknown:
        raise NotFound("A variant being edited was removed meanwhile; reopen the "
                       "product and try again.")
    category_name = writes.check_references(tx.conn, clean)
    writes.check_unique(tx.conn, clean, product_id=product_id)
    row = writes.product_row(clean, category_name)
    old = {f: getattr(current, f) for f in PRODUCT_FIELDS}
    old["dietary_tags"] = list(current.dietary_tags)
    changes = {f: row[f] for f in PRODUCT_FIELDS if row[f] != old[f]}
    kept = {v.id for v in clean.variants if v.id is not None}
    archived = [v for vid, v in stored.items() if vid not in kept]
    edits: list[tuple[str, dict[str, Any]]] = []
    for position, v in enumerate(clean.variants):
        if v.id is None:
            continue
        values = {**writes.variant_values(v), "position": position}
        before = stored[v.id]
        diff = {k: val for k, val in values.items() if getattr(before, k) != val}
        if diff:
            edits.append((v.id, diff))
    new = [(i, v) for i, v in enumerate(clean.variants) if v.id is None]
    keywords_changed = (
        row["search_keywords"] != writes.stored_keywords(tx.conn, product_id)
    )
    if not (changes or archived or edits or new or keywords_changed):
        return False
    now = utc_now()
    if archived:
        tx.conn.execute(update(variants).where(
            variants.c.id.in_([v.id for v in archived])
        ).values(archived_at=now, updated_at=now))
    # Release codes first, so SKUs/barcodes may move between variants in one edit.
    moving = [vid for vid, diff in edits if "sku" in diff or "barcode" in diff]
    if moving:
        tx.conn.execute(update(variants).where(variants.c.id.in_(moving))
                        .values(sku=None, barcode=None))
    writes.release_archived(tx.conn, clean)
    for vid, diff in edits:
        full = {k: getattr(stored[vid], k) for k in ("sku", "barcode")}
        values = {**full, **diff} if vid in moving else diff
        tx.conn.execute(update(variants).where(variants.c.id == vid)
                        .values(**values, updated_at=now))
    created = [writes.insert_variant(tx, product_id, v, i) for i, v in new]
    tx.conn.execute(update(products).where(products.c.id == product_id)
                    .values(**row, updated_at=now))
    payload: dict[str, Any] = {
        "client_ref": current.client_ref, "base_version": current.version,
        "changes": writes.api_fields(changes),
        "variants": {
            "create": created,
            "update": [{"id": vid, "client_ref": stored[vid].client_ref, **diff}
                       for vid, diff in edits],
            "delete": [{"id": v.id, "client_ref": v.client_ref} for v in archived],
        },
    }
    outbox.enqueue(tx, "product", product_id, "update", payload)
    tx.changed("product", product_id)
    return True
