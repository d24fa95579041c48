"""What a dry run hands out: the plan of an import (creates, updates with their field changes,
unchanged, stock counts, and the rows rejected or warned about), and the field-level diff."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from vendor_console.catalog_io.model import RowIssue
from vendor_console.services.catalog_records import PRODUCT_FIELDS, VARIANT_FIELDS, ProductRecord
from vendor_console.services.catalog_validation import ProductDraft

NAMESPACE = uuid.UUID("6f1c9a52-4d0e-4c8e-9a57-2b8f0e1d7c31")


def derived_ref(source: str, key: str) -> str:
    """The ``client_ref`` of a product created from ``key`` (a handle) of a ``source`` file: the
    same file imported again finds it, and the marketplace deduplicates its create."""
    return str(uuid.uuid5(NAMESPACE, f"{source}:{key}"))


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # "price" or "variants[Large].price"
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class PlannedCount:
    """A count to record: ``variant_id``, or the variant's position once the product is
    written (new variants)."""

    product_key: str
    variant_id: str | None
    position: int
    location_id: str
    counted: int
    expected: int
    row: int


@dataclass(slots=True)
class PlannedProduct:
    action: str  # create, update, unchanged
    key: str
    name: str
    rows: list[int]
    draft: ProductDraft
    product_id: str | None = None
    client_ref: str | None = None
    category_name: str | None = None  # to resolve (and create if new) when applying
    takes_from_tombstone: bool = False  # an archived variant holds one of its codes
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(slots=True)
class ImportPlan:
    dialect: str
    details: dict[str, Any]
    products: list[PlannedProduct] = field(default_factory=list)
    counts: list[PlannedCount] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    conflicts: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
    skipped: list[RowIssue] = field(default_factory=list)  # archived items, not imported
    our_locations: list[str] = field(default_factory=list)  # for mapping the file's to ours

    def of(self, action: str) -> list[PlannedProduct]:
        return [p for p in self.products if p.action == action]

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({i.row for i in self.errors + self.conflicts})

    @property
    def writes_anything(self) -> bool:
        return bool(self.counts or any(p.action != "unchanged" for p in self.products))


def diff(existing: ProductRecord, clean: ProductDraft,
         category_name: str | None) -> list[FieldChange]:
    changes = [FieldChange(f, getattr(existing, f), getattr(clean, f))
               for f in PRODUCT_FIELDS if f not in ("category_id", "dietary_tags")
               and getattr(existing, f) != getattr(clean, f)]
    if list(existing.dietary_tags) != clean.dietary_tags:
        changes.append(FieldChange("dietary_tags", list(existing.dietary_tags),
                                   clean.dietary_tags))
    if (existing.category_name or None) != category_name:
        changes.append(FieldChange("category", existing.category_name, category_name))
    stored = {v.id: v for v in existing.variants}
    for position, v in enumerate(clean.variants):
        label = v.name or v.sku or str(position + 1)
        if v.id is None:
            changes.append(FieldChange(f"variants[{label}]", None, "new variant"))
            continue
        before = stored[v.id]
        changes += [FieldChange(f"variants[{label}].{f}", getattr(before, f), getattr(v, f))
                    for f in VARIANT_FIELDS if getattr(before, f) != getattr(v, f)]
    return changes
