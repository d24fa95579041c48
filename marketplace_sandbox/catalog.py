"""Categories, products and variants: versions, client_refs, merge patches and tombstones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert, select

from marketplace_sandbox import clock, ids
from marketplace_sandbox.db import Tx
from marketplace_sandbox.jsonutil import dumps, merge_patch
from marketplace_sandbox.models import categories, images, products, variants
from marketplace_sandbox.problems import Problem, field_error
from marketplace_sandbox.resources import check_version, doc_of, load_row, save_doc, validate
from marketplace_sandbox.schemas import (
    CategoryCreate,
    CategoryFields,
    ProductCreate,
    ProductFields,
    VariantCreate,
    VariantFields,
)

PRODUCT_FIELDS = tuple(ProductFields.model_fields)
VARIANT_FIELDS = tuple(VariantFields.model_fields)
CATEGORY_FIELDS = tuple(CategoryFields.model_fields)


def _now() -> str:
    return clock.iso(clock.now())


def check_client_ref(conn: Connection, table: Table, vendor_id: str, client_ref: str | None,
                     what: str) -> None:
    if client_ref is None:
        return
    existing = conn.execute(select(table.c.id).where(table.c.vendor_id == vendor_id,
                                                     table.c.client_ref == client_ref)).first()
    if existing is not None:
        raise Problem(409, "duplicate_client_ref",
                      f"A {what} with client_ref {client_ref} already exists",
                      existing_id=existing.id)


def find_by_client_ref(conn: Connection, table: Table, vendor_id: str,
                       client_ref: str) -> str | None:
    row = conn.execute(select(table.c.id).where(table.c.vendor_id == vendor_id,
                                                table.c.client_ref == client_ref)).first()
    return None if row is None else str(row.id)


def _check_money(fields: dict[str, Any], currency: str, prefix: str) -> None:
    for name in ("price", "compare_at_price", "cost"):
        money = fields.get(name)
        if money is not None and money["currency"] != currency:
            raise field_error(f"{prefix}/{name}/currency", "currency_mismatch",
                              f"The vendor sells in {currency}")


def _check_category(conn: Connection, vendor_id: str, category_id: str | None,
                    pointer: str) -> None:
    if category_id is None:
        return
    row = conn.execute(select(categories.c.deleted).where(
        categories.c.id == category_id, categories.c.vendor_id == vendor_id)).first()
    if row is None or row.deleted:
        raise field_error(pointer, "unknown_reference", f"No category {category_id}")


def _check_images(conn: Connection, vendor_id: str, image_ids: list[str], pointer: str) -> None:
    if not image_ids:
        return
    found = {r.id for r in conn.execute(select(images.c.id).where(
        images.c.vendor_id == vendor_id, images.c.id.in_(image_ids)))}
    for index, image_id in enumerate(image_ids):
        if image_id not in found:
            raise field_error(f"{pointer}/{index}", "unknown_reference", f"No image {image_id}")


def tombstone(resource_id: str, version: int) -> dict[str, Any]:
    return {"id": resource_id, "version": version, "deleted": True, "deleted_at": _now()}


# --- categories ----------------------------------------------------------------------------

def create_category(tx: Tx, vendor_id: str, body: CategoryCreate,
                    actor: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    check_client_ref(tx.conn, categories, vendor_id, body.client_ref, "category")
    _check_category(tx.conn, vendor_id, body.parent_id, prefix + "/parent_id")
    category_id = ids.new_id("cat")
    now = _now()
    doc = {"id": category_id, "client_ref": body.client_ref, "version": 1,
           **body.model_dump(include=set(CATEGORY_FIELDS)), "created_at": now,
           "updated_at": now}
    tx.conn.execute(insert(categories).values(id=category_id, vendor_id=vendor_id,
                                              client_ref=body.client_ref, version=1,
                                              deleted=False, doc=dumps(doc)))
    tx.emit(vendor_id, "category.created", "category", category_id, 1, doc, actor)
    return doc


def update_category(tx: Tx, vendor_id: str, category_id: str, patch: dict[str, Any],  # noqa: PLR0917
                    expected: int | None, actor: dict[str, Any],
                    prefix: str = "") -> dict[str, Any]:
    row = load_row(tx.conn, categories, vendor_id, category_id, "Category", for_update=True)
    check_version(expected, row.version, f"Category {category_id}")
    doc = doc_of(row)
    editable = {k: doc.get(k) for k in CATEGORY_FIELDS}
    fields = validate(CategoryFields, merge_patch(editable, patch), prefix).model_dump()
    if fields["parent_id"] == category_id:
        raise field_error(prefix + "/parent_id", "cycle", "A category cannot be its own parent")
    _check_category(tx.conn, vendor_id, fields["parent_id"], prefix + "/parent_id")
    if fields == editable:
        return doc
    doc.update(fields, version=row.version + 1, updated_at=_now())
    save_doc(tx.conn, categories, row, doc)
    tx.emit(vendor_id, "category.updated", "category", category_id, doc["version"], doc, actor)
    return doc


def delete_category(tx: Tx, vendor_id: str, category_id: str, expected: int | None,
                    actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, categories, vendor_id, category_id, "Category", for_update=True)
    check_version(expected, row.version, f"Category {category_id}")
    doc = tombstone(category_id, row.version + 1)
    save_doc(tx.conn, categories, row, doc, deleted=True)
    tx.emit(vendor_id, "category.deleted", "category", category_id, doc["version"], doc, actor)
    return doc


# --- products ------------------------------------------------------------------------------

def create_product(tx: Tx, vendor_id: str, currency: str, body: ProductCreate,  # noqa: PLR0917
                   actor: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    check_client_ref(tx.conn, products, vendor_id, body.client_ref, "product")
    _check_category(tx.conn, vendor_id, body.category_id, prefix + "/category_id")
    _check_images(tx.conn, vendor_id, body.image_ids, prefix + "/image_ids")
    product_id = ids.new_id("prd")
    now = _now()
    doc = {"id": product_id, "client_ref": body.client_ref, "version": 1,
           **body.model_dump(include=set(PRODUCT_FIELDS)), "variant_ids": [],
           "deleted": False, "created_at": now, "updated_at": now}
    tx.conn.execute(insert(products).values(
        id=product_id, vendor_id=vendor_id, client_ref=body.client_ref,
        category_id=body.category_id, visibility=body.visibility, version=1, deleted=False,
        doc=dumps(doc)))
    tx.emit(vendor_id, "product.created", "product", product_id, 1, doc, actor)
    created = []
    for index, variant in enumerate(body.variants):
        created.append(create_variant(tx, vendor_id, currency, product_id, variant, actor,
                                      f"{prefix}/variants/{index}", touch_product=False))
    if created:
        doc = _set_variant_ids(tx, vendor_id, product_id, actor)
    return {**doc, "variants": created}


def _set_variant_ids(tx: Tx, vendor_id: str, product_id: str,
                     actor: dict[str, Any]) -> dict[str, Any]:
    """Record the product's live variant ids (a new product version)."""
    row = load_row(tx.conn, products, vendor_id, product_id, "Product", for_update=True)
    doc = doc_of(row)
    live = [r.id for r in tx.conn.execute(
        select(variants.c.id).where(variants.c.product_id == product_id,
                                    variants.c.deleted.is_(False)).order_by(variants.c.pk))]
    if live == doc["variant_ids"]:
        return doc
    doc.update(variant_ids=live, version=row.version + 1, updated_at=_now())
    save_doc(tx.conn, products, row, doc)
    tx.emit(vendor_id, "product.updated", "product", product_id, doc["version"], doc, actor)
    return doc


def update_product(tx: Tx, vendor_id: str, product_id: str, patch: dict[str, Any],  # noqa: PLR0917
                   expected: int | None, actor: dict[str, Any],
                   prefix: str = "") -> dict[str, Any]:
    if "variants" in patch or "variant_ids" in patch:
        raise field_error(prefix + "/variants", "read_only",
                          "Edit variants through /products/{id}/variants and /variants/{id}")
    row = load_row(tx.conn, products, vendor_id, product_id, "Product", for_update=True)
    check_version(expected, row.version, f"Product {product_id}")
    doc = doc_of(row)
    editable = {k: doc.get(k) for k in PRODUCT_FIELDS}
    fields = validate(ProductFields, merge_patch(editable, patch), prefix).model_dump()
    _check_category(tx.conn, vendor_id, fields["category_id"], prefix + "/category_id")
    _check_images(tx.conn, vendor_id, fields["image_ids"], prefix + "/image_ids")
    if fields == editable:
        return doc
    doc.update(fields, version=row.version + 1, updated_at=_now())
    save_doc(tx.conn, products, row, doc, category_id=fields["category_id"],
             visibility=fields["visibility"])
    tx.emit(vendor_id, "product.updated", "product", product_id, doc["version"], doc, actor)
    return doc


def delete_product(tx: Tx, vendor_id: str, product_id: str, expected: int | None,
                   actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, products, vendor_id, product_id, "Product", for_update=True)
    check_version(expected, row.version, f"Product {product_id}")
    for vrow in tx.conn.execute(select(variants).where(variants.c.product_id == product_id,
                                                       variants.c.deleted.is_(False))).all():
        vdoc = tombstone(vrow.id, vrow.version + 1)
        save_doc(tx.conn, variants, vrow, vdoc, deleted=True)
        tx.emit(vendor_id, "variant.deleted", "variant", vrow.id, vdoc["version"], vdoc, actor)
    doc = tombstone(product_id, row.version + 1)
    save_doc(tx.conn, products, row, doc, deleted=True)
    tx.emit(vendor_id, "product.deleted", "product", product_id, doc["version"], doc, actor)
    return doc


# --- variants ------------------------------------------------------------------------------

def create_variant(tx: Tx, vendor_id: str, currency: str, product_id: str,  # noqa: PLR0917
                   body: VariantCreate, actor: dict[str, Any], prefix: str = "",
                   touch_product: bool = True) -> dict[str, Any]:
    load_row(tx.conn, products, vendor_id, product_id, "Product")
    check_client_ref(tx.conn, variants, vendor_id, body.client_ref, "variant")
    fields = body.model_dump(include=set(VARIANT_FIELDS))
    _check_money(fields, currency, prefix)
    variant_id = ids.new_id("var")
    now = _now()
    doc = {"id": variant_id, "product_id": product_id, "client_ref": body.client_ref,
           "version": 1, **fields, "availability": {"status": "AVAILABLE", "until": None},
           "deleted": False, "created_at": now, "updated_at": now}
    tx.conn.execute(insert(variants).values(
        id=variant_id, vendor_id=vendor_id, product_id=product_id, client_ref=body.client_ref,
        sku=body.sku, version=1, deleted=False, doc=dumps(doc)))
    tx.emit(vendor_id, "variant.created", "variant", variant_id, 1, doc, actor)
    if touch_product:
        _set_variant_ids(tx, vendor_id, product_id, actor)
    return doc


def update_variant(tx: Tx, vendor_id: str, currency: str, variant_id: str,  # noqa: PLR0917
                   patch: dict[str, Any], expected: int | None, actor: dict[str, Any],
                   prefix: str = "") -> dict[str, Any]:
    row = load_row(tx.conn, variants, vendor_id, variant_id, "Variant", for_update=True)
    check_version(expected, row.version, f"Variant {variant_id}")
    doc = doc_of(row)
    editable = {k: doc.get(k) for k in VARIANT_FIELDS}
    fields = validate(VariantFields, merge_patch(editable, patch), prefix).model_dump()
    _check_money(fields, currency, prefix)
    if fields == editable:
        return doc
    doc.update(fields, version=row.version + 1, updated_at=_now())
    save_doc(tx.conn, variants, row, doc, sku=fields["sku"])
    tx.emit(vendor_id, "variant.updated", "variant", variant_id, doc["version"], doc, actor)
    return doc


def delete_variant(tx: Tx, vendor_id: str, variant_id: str, expected: int | None,
                   actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, variants, vendor_id, variant_id, "Variant", for_update=True)
    check_version(expected, row.version, f"Variant {variant_id}")
    doc = tombstone(variant_id, row.version + 1)
    save_doc(tx.conn, variants, row, doc, deleted=True)
    tx.emit(vendor_id, "variant.deleted", "variant", variant_id, doc["version"], doc, actor)
    _set_variant_ids(tx, vendor_id, row.product_id, actor)
    return doc


def set_availability(tx: Tx, vendor_id: str, variant_id: str, status: str,  # noqa: PLR0917
                     until: str | None, actor: dict[str, Any], *,
                     auto: bool = False) -> dict[str, Any]:
    row = load_row(tx.conn, variants, vendor_id, variant_id, "Variant", for_update=True)
    doc = doc_of(row)
    wanted: dict[str, Any] = {"status": status, "until": until}
    if auto:
        wanted["auto"] = True  # set by the server (stock ran out), lifted by it too
    if doc["availability"] == wanted:
        return doc
    doc.update(availability=wanted, version=row.version + 1, updated_at=_now())
    save_doc(tx.conn, variants, row, doc)
    tx.emit(vendor_id, "variant.availability_changed", "variant", variant_id, doc["version"],
            doc, actor)
    return doc


def variants_of(conn: Connection, product_ids: list[str]) -> dict[str, list[str]]:
    """Live variant documents (JSON text) per product, in display order."""
    out: dict[str, list[str]] = {pid: [] for pid in product_ids}
    if not product_ids:
        return out
    rows = conn.execute(select(variants.c.product_id, variants.c.doc)
                        .where(variants.c.product_id.in_(product_ids),
                               variants.c.deleted.is_(False))
                        .order_by(variants.c.pk))
    for row in rows:
        out[row.product_id].append(row.doc)
    return out


def with_variants(product_doc: str, variant_docs: list[str]) -> str:
    """Embed variant documents into a product document without re-encoding either."""
    return f'{product_doc[:-1]},"variants":[{",".join(variant_docs)}]}}'


DASHBOARD = {"type": "dashboard", "id": None}


def touch(tx: Tx, table: Table, resource_type: str, vendor_id: str, resource_id: str) -> None:
    """A new version with the same content, as an edit from the web dashboard would make."""
    row = load_row(tx.conn, table, vendor_id, resource_id, resource_type, for_update=True)
    doc = doc_of(row)
    doc.update(version=row.version + 1, updated_at=_now())
    save_doc(tx.conn, table, row, doc)
    tx.emit(vendor_id, f"{resource_type}.updated", resource_type, resource_id, doc["version"],
            doc, DASHBOARD)
