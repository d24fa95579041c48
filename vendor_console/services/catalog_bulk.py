"""Edits of many products at once, and the inverse patches that undo them.

A bulk edit runs in one write: every product is loaded, changed, validated as a whole
(``clean_product``) and stored through ``catalog_tx.update_product`` (its outbox row with the
product's base version), plus one audit entry. Any invalid product (a price going below
zero, a compare-at price now below the price) raises before anything is written.

Every write returns the :class:`Patch` list that puts the touched fields back, so the UI's
undo stack needs nothing but this service.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from local_db.database import Database
from local_db.writer import Tx
from vendor_console.errors import InvalidPrice, ValidationError
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit
from vendor_console.services.catalog_records import load_product
from vendor_console.services.catalog_tx import update_product as update_in_tx
from vendor_console.services.catalog_validation import (
    AVAILABILITIES,
    VISIBILITIES,
    ProductDraft,
    clean_product,
)

MAX_PRODUCTS = 10_000
_UNSET: Any = object()
PATCHABLE = ("category_id", "visibility", "availability", "dietary_tags")


@dataclass(frozen=True, slots=True)
class BulkEdit:
    """What to change on every chosen product; fields left alone stay as they are."""

    price_percent: Decimal | None = None  # +10 = ten percent dearer, -15 = cheaper
    price_amount: int | None = None  # minor units added to every variant's price
    category_id: Any = _UNSET  # a category id, or None for "no category"
    visibility: str | None = None
    availability: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = []
        if self.price_percent is not None:
            parts.append(f"price {self.price_percent:+}%")
        if self.price_amount is not None:
            parts.append(f"price {self.price_amount:+} (minor units)")
        if self.category_id is not _UNSET:
            parts.append("category")
        if self.visibility:
            parts.append(f"visibility {self.visibility}")
        if self.availability:
            parts.append(f"availability {self.availability}")
        if self.add_tags or self.remove_tags:
            parts.append("tags")
        return ", ".join(parts)


def keep_category() -> Any:
    """The marker for "leave the category alone" (the default of ``BulkEdit.category_id``)."""
    return _UNSET


@dataclass(frozen=True, slots=True)
class Patch:
    """Values to set on one product: product fields and variant prices by variant id."""

    product_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    prices: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BulkResult:
    changed: tuple[str, ...]  # product ids actually written
    undo: tuple[Patch, ...]  # apply these to put the touched values back
    done: tuple[Patch, ...] = ()  # apply these to write the same edit again (redo)


def adjusted_price(price: int, edit: BulkEdit) -> int:
    new = price
    if edit.price_percent is not None:
        factor = (Decimal(100) + edit.price_percent) / Decimal(100)
        new = int((Decimal(new) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if edit.price_amount is not None:
        new += edit.price_amount
    return new


def _check_edit(edit: BulkEdit) -> None:
    if edit.visibility is not None and edit.visibility not in VISIBILITIES:
        raise ValidationError("Choose visible or hidden.", field="visibility")
    if edit.availability is not None and edit.availability not in AVAILABILITIES:
        raise ValidationError("Choose available or sold out.", field="availability")
    if edit.price_percent is not None and not Decimal(-100) < edit.price_percent <= 1000:
        raise InvalidPrice("A price change must be above -100 % and at most +1000 %.",
                           field="price")


def _patched(draft: ProductDraft, patch: Patch) -> ProductDraft:
    fields = {k: v for k, v in patch.fields.items() if k in PATCHABLE}
    variants = [replace(v, price=patch.prices[v.id]) if v.id in patch.prices else v
                for v in draft.variants]
    return replace(draft, **fields, variants=variants)


def _patch_for(draft: ProductDraft, product_id: str, edit: BulkEdit) -> Patch:
    fields: dict[str, Any] = {}
    if edit.category_id is not _UNSET:
        fields["category_id"] = edit.category_id
    if edit.visibility is not None:
        fields["visibility"] = edit.visibility
    if edit.availability is not None:
        fields["availability"] = edit.availability
    if edit.add_tags or edit.remove_tags:
        drop = {t.casefold() for t in edit.remove_tags}
        tags = [t for t in draft.dietary_tags if t.casefold() not in drop]
        tags += [t for t in edit.add_tags if t.casefold() not in {x.casefold() for x in tags}]
        fields["dietary_tags"] = tags
    prices: dict[str, int] = {}
    if edit.price_percent is not None or edit.price_amount is not None:
        for v in draft.variants:
            assert v.id is not None
            new = adjusted_price(v.price, edit)
            if new < 0:
                raise InvalidPrice(
                    f"The price of {draft.name} would go below zero; nothing was changed.",
                    field="price")
            prices[v.id] = new
    return Patch(product_id, fields, prices)


def _inverse(draft: ProductDraft, patch: Patch) -> Patch:
    old = {v.id: v.price for v in draft.variants if v.id is not None}
    return Patch(patch.product_id,
                 {k: getattr(draft, k) for k in patch.fields},
                 {vid: old[vid] for vid in patch.prices if vid in old})


class CatalogBulkService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def apply(self, actor: Actor, product_ids: list[str], edit: BulkEdit) -> BulkResult:
        """Change every product in ``product_ids`` as ``edit`` says, all or nothing."""
        require(actor, Permission.EDIT_CATALOG)
        _check_edit(edit)
        if not product_ids:
            raise ValidationError("Select at least one product.", field="products")
        if len(product_ids) > MAX_PRODUCTS:
            raise ValidationError(f"At most {MAX_PRODUCTS:,} products can be changed at once.",
                                  field="products")

        def write(tx: Tx) -> BulkResult:
            patches = []
            for pid in dict.fromkeys(product_ids):
                draft = load_product(tx.conn, pid).to_draft()
                patches.append(_patch_for(draft, pid, edit))
            return self._write(tx, actor, patches, "catalog_bulk_edit", edit.describe())

        return self._db.write(write)

    def apply_patches(self, actor: Actor, patches: list[Patch], *, action: str = "catalog_undo"
                      ) -> BulkResult:
        """Set the values in ``patches`` (an undo, a redo, an inline edit), all or nothing."""
        require(actor, Permission.EDIT_CATALOG)
        return self._db.write(lambda tx: self._write(tx, actor, patches, action, ""))

    def set_price(self, actor: Actor, product_id: str, variant_id: str, price: int
                  ) -> BulkResult:
        """The quick inline edit of one variant's price."""
        return self.apply_patches(actor, [Patch(product_id, prices={variant_id: price})],
                                  action="catalog_price_edit")

    @staticmethod
    def _write(tx: Tx, actor: Actor, patches: list[Patch], action: str, what: str
               ) -> BulkResult:
        changed: list[str] = []
        undo: list[Patch] = []
        done: list[Patch] = []
        for patch in patches:
            current = load_product(tx.conn, patch.product_id).to_draft()
            clean = clean_product(_patched(current, patch))
            if update_in_tx(tx, patch.product_id, clean):
                changed.append(patch.product_id)
                undo.append(_inverse(current, patch))
                done.append(patch)
        if changed:
            details: dict[str, Any] = {"products": len(changed)}
            if what:
                details["edit"] = what
            audit.append(tx, action, staff_id=actor.staff_id, entity_type="product",
                         entity_id=changed[0] if len(changed) == 1 else None, details=details)
        return BulkResult(tuple(changed), tuple(undo), tuple(done))
