"""The catalog's writes inside one transaction: reference and uniqueness checks, rows, keywords.

Used by :mod:`vendor_console.services.catalog`; every function takes the open write
transaction (or its connection) and raises a DomainError before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from local_db.rawsql import insert_rows
from local_db.tables import categories, products, tax_rates, variants
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import DuplicateBarcode, DuplicateSku, NotFound
from vendor_console.ids import new_id
from vendor_console.services.catalog_records import PRODUCT_FIELDS, VARIANT_FIELDS
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft

_LIVE = (variants.c.archived_at.is_(None), products.c.archived_at.is_(None))


def check_references(conn: Connection, draft: ProductDraft) -> str | None:
    """Category and tax rates must exist; returns the category's name."""
    category_name = None
    if draft.category_id is not None:
        category_name = conn.execute(
            select(categories.c.name).where(categories.c.id == draft.category_id,
                                            categories.c.archived_at.is_(None))
        ).scalar()
        if category_name is None:
            raise NotFound("The chosen category no longer exists; pick another.")
    wanted = {v.tax_rate_id for v in draft.variants if v.tax_rate_id is not None}
    if wanted:
        known = set(conn.execute(select(tax_rates.c.id).where(tax_rates.c.id.in_(wanted)))
                    .scalars())
        if wanted - known:
            raise NotFound("The chosen tax rate no longer exists; pick another.")
    return category_name


def check_unique(conn: Connection, draft: ProductDraft, *, product_id: str | None) -> None:
    """No other live product may carry one of the draft's SKUs or barcodes."""
    for column, error in ((variants.c.sku, DuplicateSku), (variants.c.barcode, DuplicateBarcode)):
        codes = {getattr(v, column.key) for v in draft.variants} - {None}
        if not codes:
            continue
        query = (
            select(column, products.c.name)
            .join(products, products.c.id == variants.c.product_id)
            .where(column.in_(codes), *_LIVE)
        )
        if product_id is not None:
            query = query.where(variants.c.product_id != product_id)
        clash = conn.execute(query.limit(1)).first()
        if clash is not None:
            what = "SKU" if column.key == "sku" else "barcode"
            raise error(f"The {what} “{clash[0]}” is already used by “{clash[1]}”.",
                        field=column.key)


def release_archived(conn: Connection, draft: ProductDraft) -> None:
    """Tombstones keep their codes until a live variant claims one (the unique indexes span
    archived rows): then the tombstone's code is cleared."""
    archived_product = select(products.c.id).where(products.c.archived_at.is_not(None))
    tombstone = or_(variants.c.archived_at.is_not(None),
                    variants.c.product_id.in_(archived_product))
    for key in ("sku", "barcode"):
        codes: Iterable[str] = {getattr(v, key) for v in draft.variants} - {None}
        if codes:
            conn.execute(update(variants).where(variants.c[key].in_(list(codes)), tombstone)
                         .values({key: None}))


def stored_keywords(conn: Connection, product_id: str) -> str:
    return str(conn.execute(select(products.c.search_keywords)
                            .where(products.c.id == product_id)).scalar() or "")


def keywords(draft: ProductDraft, category_name: str | None) -> str:
    words: list[str] = []
    for v in draft.variants:
        words += [v.name, *v.options.values(), v.sku or "", v.barcode or ""]
    words += [draft.material or "", draft.style or "", *draft.dietary_tags, category_name or ""]
    return " ".join(dict.fromkeys(w for w in words if w))


def product_row(draft: ProductDraft, category_name: str | None) -> dict[str, Any]:
    row = {f: getattr(draft, f) for f in PRODUCT_FIELDS}
    row["search_keywords"] = keywords(draft, category_name)
    return row


def variant_values(v: VariantDraft) -> dict[str, Any]:
    return {f: getattr(v, f) for f in VARIANT_FIELDS}


def insert_variant(tx: Tx, product_id: str, v: VariantDraft, position: int) -> dict[str, Any]:
    variant_id = new_id()
    now = utc_now()
    values = {**variant_values(v), "position": position}
    tx.conn.execute(insert(variants), {
        **values, "id": variant_id, "client_ref": variant_id, "product_id": product_id,
        "created_at": now, "updated_at": now,
    })
    return {"id": variant_id, "client_ref": variant_id, **values}


def insert_variants(
    tx: Tx, product_id: str, drafts: list[tuple[int, VariantDraft]]
) -> list[dict[str, Any]]:
    """Insert several variants of one product in one statement; (position, draft) pairs."""
    if not drafts:
        return []
    now = utc_now()
    rows = []
    for position, v in drafts:
        variant_id = new_id()
        rows.append({**variant_values(v), "position": position, "id": variant_id,
                     "client_ref": variant_id, "product_id": product_id, "created_at": now,
                     "updated_at": now})
    insert_rows(tx.conn, variants, rows)  # DB-API fast path: an import inserts thousands
    keep = ("id", "client_ref", *VARIANT_FIELDS, "position")
    return [{k: row[k] for k in keep} for row in rows]


def api_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "search_keywords"}

