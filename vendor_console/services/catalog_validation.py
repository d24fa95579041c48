"""Catalog drafts and the checks that need no database: what a product edit may contain.

:func:`clean_product` returns the draft as it will be stored (names trimmed, barcodes
normalized, blank SKUs dropped) or raises a :class:`~vendor_console.errors.DomainError` that
says what to fix. Checks against stored rows (unique SKU/barcode, existing category and tax
rate) are in :mod:`vendor_console.services.catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vendor_console.barcodes import normalize_barcode
from vendor_console.errors import (
    DuplicateBarcode,
    DuplicateSku,
    InvalidPrice,
    InvalidQuantity,
    ValidationError,
)
from vendor_console.quantities import MAX_PRECISION, QTY_SCALE

VISIBILITIES = ("VISIBLE", "HIDDEN")
AVAILABILITIES = ("AVAILABLE", "SOLD_OUT")
UNITS = ("pc", "g", "kg", "ml", "l", "m")
INVENTORY_POLICIES = ("DENY", "CONTINUE")
MAX_PRICE = 1_000_000_000  # exclusive: 10,000,000.00 in a 2-decimal currency
MAX_NAME = 200
MAX_SKU = 64
MAX_VARIANTS = 250


@dataclass(frozen=True, kw_only=True)
class VariantDraft:
    """One sellable version of a product. ``id`` set = edit that stored variant."""

    price: int  # minor units
    name: str = ""
    options: dict[str, str] = field(default_factory=dict)  # {"Size": "Large"}
    sku: str | None = None
    barcode: str | None = None
    compare_at_price: int | None = None
    cost: int | None = None
    tax_rate_id: str | None = None
    unit: str = "pc"
    precision: int = 0
    track_inventory: bool = True
    inventory_policy: str = "DENY"
    low_stock_threshold: int | None = None  # scaled quantity (QTY_SCALE)
    id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProductDraft:
    name: str
    variants: list[VariantDraft] = field(default_factory=list)
    description: str | None = None
    category_id: str | None = None
    dietary_tags: list[str] = field(default_factory=list)
    visibility: str = "VISIBLE"
    availability: str = "AVAILABLE"
    width_mm: int | None = None
    height_mm: int | None = None
    depth_mm: int | None = None
    weight_g: int | None = None
    material: str | None = None
    style: str | None = None


def _text(value: str | None, label: str, field_name: str, limit: int = MAX_NAME) -> str | None:
    text = " ".join(value.split()) if value else ""
    if len(text) > limit:
        raise ValidationError(f"{label} is too long ({len(text)} characters, at most {limit}).",
                              field=field_name)
    return text or None


def _check_price(value: int | None, label: str, field_name: str) -> None:
    if value is None:
        return
    if value < 0:
        raise InvalidPrice(f"{label} cannot be negative.", field=field_name)
    if value >= MAX_PRICE:
        raise InvalidPrice(f"{label} is too high: it must be below 10,000,000.", field=field_name)


def _check_size(value: int | None, label: str, field_name: str) -> None:
    if value is not None and not 0 <= value <= 100_000_000:
        raise ValidationError(f"{label} must be zero or more.", field=field_name)


def clean_variant(draft: VariantDraft, product_name: str) -> VariantDraft:
    label = f"{product_name} – {draft.name}" if draft.name.strip() else product_name
    name = _text(draft.name, "The variant name", "variant_name") or ""
    _check_price(draft.price, f"The price of {label}", "price")
    _check_price(draft.compare_at_price, f"The compare-at price of {label}", "compare_at_price")
    _check_price(draft.cost, f"The cost of {label}", "cost")
    if draft.compare_at_price is not None and draft.compare_at_price < draft.price:
        raise InvalidPrice(
            f"The compare-at price of {label} must not be below its price; it is the "
            "“was” price shown crossed out.",
            field="compare_at_price",
        )
    if draft.unit not in UNITS:
        raise ValidationError(f"Unknown unit “{draft.unit}”; use one of {', '.join(UNITS)}.",
                              field="unit")
    if not 0 <= draft.precision <= MAX_PRECISION:
        raise ValidationError(f"{label} can be sold with 0 to {MAX_PRECISION} decimals.",
                              field="precision")
    if draft.inventory_policy not in INVENTORY_POLICIES:
        raise ValidationError("Choose whether to keep selling when out of stock.",
                              field="inventory_policy")
    threshold = draft.low_stock_threshold
    step = QTY_SCALE // 10**draft.precision
    if threshold is not None and (threshold < 0 or threshold % step):
        raise InvalidQuantity(
            f"The low-stock level of {label} must be zero or more, in whole {draft.unit}"
            + ("" if draft.precision == 0 else f" or up to {draft.precision} decimals") + ".",
            field="low_stock_threshold",
        )
    sku = _text(draft.sku, "The SKU", "sku", MAX_SKU)
    barcode = normalize_barcode(draft.barcode) if draft.barcode and draft.barcode.strip() else None
    options = {}
    for key, value in draft.options.items():
        option = _text(key, "The option name", "options")
        if option:
            options[option] = _text(value, "The option value", "options") or ""
    return replace(draft, name=name, sku=sku, barcode=barcode, options=options)


def clean_product(draft: ProductDraft) -> ProductDraft:
    """The draft as it will be stored, or a DomainError saying what to fix."""
    name = _text(draft.name, "The product name", "name")
    if not name:
        raise ValidationError("Give the product a name.", field="name")
    if not draft.variants:
        raise ValidationError(f"{name} needs at least one variant with a price.",
                              field="variants")
    if len(draft.variants) > MAX_VARIANTS:
        raise ValidationError(f"A product can have at most {MAX_VARIANTS} variants.",
                              field="variants")
    if draft.visibility not in VISIBILITIES:
        raise ValidationError("Choose whether the product is visible or hidden.",
                              field="visibility")
    if draft.availability not in AVAILABILITIES:
        raise ValidationError("Choose whether the product is available or sold out.",
                              field="availability")
    for value, label, field_name in (
        (draft.width_mm, "The width", "width_mm"), (draft.height_mm, "The height", "height_mm"),
        (draft.depth_mm, "The depth", "depth_mm"), (draft.weight_g, "The weight", "weight_g"),
    ):
        _check_size(value, label, field_name)
    variants = [clean_variant(v, name) for v in draft.variants]
    _check_unique_within(variants, name)
    tags = list(dict.fromkeys(t for t in (_text(t, "A tag", "dietary_tags") for t in
                                          draft.dietary_tags) if t))
    return replace(
        draft, name=name, variants=variants, dietary_tags=tags,
        description=(draft.description or "").strip() or None,
        material=_text(draft.material, "The material", "material"),
        style=_text(draft.style, "The style", "style"),
    )


def _check_unique_within(variants: list[VariantDraft], name: str) -> None:
    skus: set[str] = set()
    barcodes: set[str] = set()
    for v in variants:
        if v.sku is not None:
            if v.sku in skus:
                raise DuplicateSku(f"Two variants of {name} have the SKU “{v.sku}”; "
                                   "each variant needs its own.", field="sku")
            skus.add(v.sku)
        if v.barcode is not None:
            if v.barcode in barcodes:
                raise DuplicateBarcode(f"Two variants of {name} have the barcode {v.barcode}; "
                                       "each variant needs its own.", field="barcode")
            barcodes.add(v.barcode)
