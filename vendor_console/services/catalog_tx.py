"""The catalog's writes as functions of an open write transaction.

:class:`~vendor_console.services.catalog.CatalogService` runs each of them in its own
``db.write``; a bulk caller (the catalog importer) runs many in one transaction, so a whole
file is applied or nothing is. Each writes the rows, the search keywords and the outbox
message together and reports the change on ``tx``. Drafts must already be cleaned
(:func:`~vendor_console.services.catalog_validation.clean_product`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select, update

from local_db.rawsql import insert_rows
from local_db.tables import categories, products, variants
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id
from vendor_console.services import catalog_writes as writes
from vendor_console.services import outbox
from vendor_console.services.catalog_records import PRODUCT_FIELDS, CategoryRecord, load_product
from vendor_console.services.catalog_validation import ProductDraft


def create_category(
    tx: Tx, clean_name: str, parent_id: str | None = None, color: str | None = None
) -> CategoryRecord:
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
    if any(s.name.casefold() == clean_name.casefold() for s in siblings):
        raise ValidationError(f"There is already a category called “{clean_name}”.",
                              field="name")
    record = CategoryRecord(new_id(), clean_name, parent_id, color,
                            max((s.position for s in siblings), default=-1) + 1)
    now = utc_now()
    tx.conn.execute(insert(categories), {**asdict(record), "created_at": now,
                                         "updated_at": now})
    outbox.enqueue(tx, "category", record.id, "create", asdict(record))
    tx.changed("category", record.id)
    return record


def create_product(
    tx: Tx, clean: ProductDraft, *, client_ref: str | None = None,
    checked_category: str | None = None, prechecked: bool = False,
) -> str:
    """Insert the product and its variants; returns the new product's id. ``client_ref``
    (default: the new id) is the natural key the marketplace deduplicates creates on.

    ``prechecked``: the caller has checked, in this same transaction, that the category
    (named ``checked_category``) and tax rates exist, that no live variant holds the draft's
    codes and that no tombstone does (the importer's plan); the checks are then skipped."""
    if prechecked:
        category_name = checked_category
    else:
        category_name = writes.check_references(tx.conn, clean)
        writes.check_unique(tx.conn, clean, product_id=None)
    product_id = new_id()
    ref = client_ref or product_id
    now = utc_now()
    row = writes.product_row(clean, category_name)
    if not prechecked:
        writes.release_archived(tx.conn, clean)
    insert_rows(tx.conn, products, [{  # DB-API fast path: an import inserts thousands
        **row, "id": product_id, "client_ref": ref, "created_at": now, "updated_at": now,
    }])
    created = writes.insert_variants(tx, product_id, list(enumerate(clean.variants)))
    payload = {"client_ref": ref, **writes.api_fields(row), "variants": created}
    outbox.enqueue(tx, "product", product_id, "create", payload)
    tx.changed("product", product_id)
    return product_id


def update_product(tx: Tx, product_id: str, clean: ProductDraft) -> bool:
    """Apply ``clean``: variants with an ``id`` are edited, new ones created, and stored
    variants missing from the draft archived. Returns False (nothing written) if nothing
    changed."""
    current = load_product(tx.conn, product_id)
    if current.archived_at is not None:
        raise NotFound(f"{current.name} was removed from the catalog; it cannot be edited.")
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
    keywords_changed = row["search_keywords"] != writes.stored_keywords(tx.conn, product_id)
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
    created = writes.insert_variants(tx, product_id, new)
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
