"""What the catalog service hands out: plain frozen records, read with Core selects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from local_db.tables import categories, products, stock_levels, variants
from vendor_console.errors import NotFound
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft

PRODUCT_FIELDS = (
    "name", "description", "category_id", "dietary_tags", "visibility", "availability",
    "width_mm", "height_mm", "depth_mm", "weight_g", "material", "style",
)
VARIANT_FIELDS = (
    "name", "options", "sku", "barcode", "price", "compare_at_price", "cost", "tax_rate_id",
    "unit", "precision", "track_inventory", "inventory_policy", "low_stock_threshold",
)


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    id: str
    name: str
    parent_id: str | None
    color: str | None
    position: int


@dataclass(frozen=True, slots=True)
class VariantDetails:
    id: str
    client_ref: str
    name: str
    options: dict[str, str]
    sku: str | None
    barcode: str | None
    price: int
    compare_at_price: int | None
    cost: int | None
    tax_rate_id: str | None
    unit: str
    precision: int
    track_inventory: bool
    inventory_policy: str
    low_stock_threshold: int | None
    position: int
    on_hand: int  # scaled quantity, summed over all locations

    def to_draft(self) -> VariantDraft:
        return VariantDraft(id=self.id, **{f: getattr(self, f) for f in VARIANT_FIELDS})


@dataclass(frozen=True, slots=True)
class ProductRecord:
    id: str
    client_ref: str
    name: str
    description: str | None
    category_id: str | None
    category_name: str | None
    dietary_tags: tuple[str, ...]
    visibility: str
    availability: str
    width_mm: int | None
    height_mm: int | None
    depth_mm: int | None
    weight_g: int | None
    material: str | None
    style: str | None
    version: int | None  # the marketplace's version last seen; None = never synced
    archived_at: datetime | None
    updated_at: datetime
    variants: tuple[VariantDetails, ...] = field(default=())

    def to_draft(self) -> ProductDraft:
        """A draft of this product as stored: edit it and pass it to ``update_product``."""
        values: dict[str, Any] = {f: getattr(self, f) for f in PRODUCT_FIELDS}
        values["dietary_tags"] = list(self.dietary_tags)
        return ProductDraft(variants=[v.to_draft() for v in self.variants], **values)


_PRODUCT_SELECT = select(products, categories.c.name.label("category_name")).outerjoin(
    categories, categories.c.id == products.c.category_id
)
_VARIANT_SELECT = (
    select(variants, func.coalesce(
        select(func.sum(stock_levels.c.on_hand))
        .where(stock_levels.c.variant_id == variants.c.id)
        .scalar_subquery(), 0,
    ).label("on_hand"))
    .where(variants.c.archived_at.is_(None))
    .order_by(variants.c.position, variants.c.id)
)


def load_product(conn: Connection, product_id: str) -> ProductRecord:
    row = conn.execute(_PRODUCT_SELECT.where(products.c.id == product_id)).mappings().first()
    if row is None:
        raise NotFound("That product is not in the catalog.")
    details = tuple(
        VariantDetails(
            id=v["id"], client_ref=v["client_ref"], on_hand=int(v["on_hand"]),
            position=v["position"], **{f: v[f] for f in VARIANT_FIELDS},
        )
        for v in conn.execute(
            _VARIANT_SELECT.where(variants.c.product_id == product_id)
        ).mappings()
    )
    return ProductRecord(
        id=row["id"], client_ref=row["client_ref"], category_name=row["category_name"],
        version=row["version"], archived_at=row["archived_at"], updated_at=row["updated_at"],
        variants=details,
        **{f: row[f] for f in PRODUCT_FIELDS if f != "dietary_tags"},
        dietary_tags=tuple(row["dietary_tags"] or ()),
    )


def load_products(conn: Connection, product_ids: list[str]) -> dict[str, ProductRecord]:
    """Several products at once (two queries per 500), for bulk readers such as the importer;
    ids that are not in the catalog are left out."""
    found: dict[str, ProductRecord] = {}
    for start in range(0, len(product_ids), 500):
        chunk = product_ids[start:start + 500]
        details: dict[str, list[VariantDetails]] = {pid: [] for pid in chunk}
        for v in conn.execute(_VARIANT_SELECT.where(variants.c.product_id.in_(chunk))).mappings():
            details[v["product_id"]].append(VariantDetails(
                id=v["id"], client_ref=v["client_ref"], on_hand=int(v["on_hand"]),
                position=v["position"], **{f: v[f] for f in VARIANT_FIELDS}))
        for row in conn.execute(_PRODUCT_SELECT.where(products.c.id.in_(chunk))).mappings():
            found[row["id"]] = ProductRecord(
                id=row["id"], client_ref=row["client_ref"], category_name=row["category_name"],
                version=row["version"], archived_at=row["archived_at"],
                updated_at=row["updated_at"], variants=tuple(details[row["id"]]),
                **{f: row[f] for f in PRODUCT_FIELDS if f != "dietary_tags"},
                dietary_tags=tuple(row["dietary_tags"] or ()),
            )
    return found


def load_categories(conn: Connection) -> list[CategoryRecord]:
    """Live categories in tree order: each parent, then its children, by position and name."""
    rows = conn.execute(
        select(categories.c.id, categories.c.name, categories.c.parent_id, categories.c.color,
               categories.c.position)
        .where(categories.c.archived_at.is_(None))
        .order_by(categories.c.position, categories.c.name)
    )
    records = [CategoryRecord(*r) for r in rows]
    ids = {c.id for c in records}
    children: dict[str | None, list[CategoryRecord]] = {}
    for c in records:  # a child of an archived parent is shown at the top level
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    ordered: list[CategoryRecord] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        category = stack.pop()
        ordered.append(category)
        stack.extend(reversed(children.get(category.id, [])))
    return ordered
