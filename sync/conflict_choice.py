"""Settling a recorded catalog conflict with this till's values.

A conflict's ``details["fields"]`` maps a field to ``{"mine", "theirs", "base"}`` in the API's
form: product fields by name, variant fields as ``"<local variant id>.<field>"``. Keeping this
till's values writes an ordinary catalog edit on top of the marketplace's current values (which
the mirror already holds), so it is sent with the marketplace's current version as its base.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from local_db.database import Database
from local_db.rawsql import dbapi
from sync.mirror import UNITS_IN
from vendor_console.errors import ValidationError
from vendor_console.permissions import Actor
from vendor_console.services.catalog import CatalogService

PRODUCT_DRAFT = {"name", "description", "visibility", "dietary_tags", "category_id"}
MONEY = {"price", "compare_at_price", "cost"}
VARIANT_DRAFT = {"name", "options", "sku", "barcode", "precision", "track_inventory",
                 "inventory_policy"}


def _draft_value(db: Database, field: str, value: Any) -> tuple[str, Any]:
    """An API value as the draft holds it: (draft field, value)."""
    if field in MONEY:
        return field, None if value is None else int(value["amount"])
    if field == "unit":
        return field, UNITS_IN.get(str(value), "pc")
    if field == "tax_code":
        with db.read() as conn:
            row = dbapi(conn).execute("SELECT id FROM tax_rates WHERE code = ?",
                                      (value,)).fetchone()
        return "tax_rate_id", None if row is None else str(row[0])
    if field == "category_id":
        with db.read() as conn:
            row = dbapi(conn).execute("SELECT id FROM categories WHERE remote_id = ?",
                                      (value,)).fetchone()
        return field, None if row is None else str(row[0])
    if field in PRODUCT_DRAFT | VARIANT_DRAFT:
        return field, value
    raise ValidationError(f"This till cannot set {field} back; choose the marketplace's value.")


def keep_mine_on_product(db: Database, actor: Actor, product_id: str,
                         fields: dict[str, dict[str, Any]]) -> None:
    catalog = CatalogService(db)
    draft = catalog.get_product(product_id).to_draft()
    product: dict[str, Any] = {}
    per_variant: dict[str, dict[str, Any]] = {}
    for key, choice in fields.items():
        variant, dot, field = key.rpartition(".")
        name, value = _draft_value(db, field if dot else key, choice["mine"])
        if dot:
            per_variant.setdefault(variant, {})[name] = value
        else:
            product[name] = value
    variants = [dataclasses.replace(v, **per_variant[v.id]) if v.id in per_variant else v
                for v in draft.variants]
    if set(per_variant) - {v.id for v in draft.variants}:
        raise ValidationError("That variant was removed meanwhile; the marketplace's value "
                              "stands.")
    catalog.update_product(actor, product_id,
                           dataclasses.replace(draft, **product, variants=variants))


def keep_mine_on_category(db: Database, category_id: str,
                          fields: dict[str, dict[str, Any]]) -> None:
    """A category edit with this till's values, queued like any category edit."""
    from local_db.writer import Tx
    from vendor_console.services import outbox

    values: dict[str, Any] = {}
    for field, choice in fields.items():
        if field not in ("name", "position", "parent_id"):
            continue
        values[field] = choice["mine"]

    def write(tx: Tx) -> None:
        conn = dbapi(tx.conn)
        local = dict(values)
        if local.get("parent_id") is not None:
            row = conn.execute("SELECT id FROM categories WHERE remote_id = ?",
                               (local["parent_id"],)).fetchone()
            local["parent_id"] = None if row is None else str(row[0])
        for field, value in local.items():
            conn.execute(f"UPDATE categories SET {field} = ? WHERE id = ?", (value, category_id))
        outbox.enqueue(tx, "category", category_id, "update", local)
        tx.changed("category", category_id)

    db.write(write)
