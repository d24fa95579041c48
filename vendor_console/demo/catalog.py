"""Turn the demo catalog data into rows: categories, products and variants.

Variant schemes give each product its natural options (loaf sizes, scents, colours, jar sizes);
coffee beans are sold by the kilogram (precision 3) and loose tea by the gram.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from vendor_console.barcodes import generate_in_house
from vendor_console.demo.catalog_data import CATEGORIES, CategorySpec
from vendor_console.ids import new_id
from vendor_console.quantities import QTY_SCALE

# scheme -> (option name, [(option value, price factor)])
_SCHEMES: dict[str, tuple[str, list[tuple[str, float]]]] = {
    "loaf": ("Size", [("Whole loaf", 1.0), ("Half loaf", 0.55)]),
    "single6": ("Pack", [("Single", 1.0), ("Box of 6", 5.5)]),
    "cake": ("Size", [("Slice", 1.0), ("Whole cake", 9.0)]),
    "jar": ("Size", [("227 g jar", 1.0), ("340 g jar", 1.4)]),
    "drink": ("Size", [("Regular", 1.0), ("Large", 1.15)]),
    "scent": ("Scent", [("Lavender & Cedar", 1.0), ("Sea Salt & Fig", 1.0),
                        ("Wild Mint", 1.0), ("Orange & Clove", 1.0)]),
    "print": ("Size", [("A5", 0.6), ("A4", 1.0), ("A3", 1.6)]),
}
_COLOURS = {
    "Ceramics": ["Oat", "Moss", "Sea Blue", "Rust"],
    "Textiles": ["Natural", "Sage", "Rust", "Navy"],
}
_ABBR = {
    "Breads": "BRD", "Pastries": "PST", "Cakes": "CAK", "Cookies": "CKE", "Preserves": "PRV",
    "Coffee & Tea": "COF", "Ceramics": "CER", "Candles & Soap": "CND", "Textiles": "TXT",
    "Cards & Prints": "CRD",
}
_COST_SHARE = {"baked": 0.32, "drink": 0.22, "shelf": 0.45, "craft": 0.4}


@dataclass(frozen=True, slots=True)
class SellableVariant:
    """What the history generator needs to know about one variant."""

    id: str
    product_id: str
    name: str  # snapshot name as printed on a receipt
    sku: str
    price: int
    tax_code: str
    unit: str
    precision: int
    kind: str  # baked, drink, shelf, craft
    scheme: str
    category: str
    position: int
    track_inventory: bool
    popularity: float


@dataclass(slots=True)
class CatalogRows:
    categories: list[dict[str, Any]]
    products: list[dict[str, Any]]
    variants: list[dict[str, Any]]
    sellable: list[SellableVariant]
    initials: dict[str, tuple[str, str, str]]  # product id -> (name, category, colour)


def _round_price(cents: float, kind: str) -> int:
    step = 50 if kind == "craft" and cents >= 1000 else 10
    return max(step, round(cents / step) * step)


def _parse(spec: CategorySpec) -> list[list[str]]:
    lines = [line for line in spec.products.strip().splitlines() if line.strip()]
    return [[part.strip() for part in line.split("|")] + [""] * 6 for line in lines]


def build_catalog(
    rng: random.Random, tax_rate_ids: dict[str, str], stamp: str
) -> CatalogRows:
    """All catalog rows, with ids, SKUs and in-store EAN-13 barcodes (prefix 20)."""
    rows = CatalogRows([], [], [], [], {})
    barcode_no = 1000
    stamps = {"created_at": stamp, "updated_at": stamp, "remote_id": None, "version": None,
              "archived_at": None}
    for position, spec in enumerate(CATEGORIES):
        category_id = new_id()
        rows.categories.append({"id": category_id, "name": spec.name, "parent_id": None,
                                "position": position, "color": spec.color, **stamps})
        for index, (name, blurb, price_text, tags_text, scheme, extra, *_) in enumerate(
            _parse(spec), start=1
        ):
            product_id = new_id()
            tags = [t for t in tags_text.split(",") if t]
            dims: list[int] = []
            if extra:
                size, weight = extra.split(",")
                dims = [int(v) for v in size.split("x")] + [int(weight)]
            variant_words: list[str] = []
            base_price = int(price_text)
            tax_code = "zero" if scheme in ("beans", "loose") else spec.tax
            popularity = rng.paretovariate(1.6)
            if scheme in _SCHEMES or scheme == "colour":
                option, choices = _SCHEMES.get(scheme, ("Colour", []))
                if scheme == "colour":
                    palette = _COLOURS[spec.name]
                    choices = [(c, 1.0) for c in rng.sample(palette, 3)]
            else:
                option, choices = "", [("", 1.0)]
            for v_pos, (value, factor) in enumerate(choices):
                barcode_no += 1
                sku = f"HR-{_ABBR[spec.name]}-{index:03d}-{v_pos + 1}"
                unit, precision = "pc", 0
                if scheme == "beans":
                    unit, precision = "kg", 3
                elif scheme == "loose":
                    unit = "g"
                price = base_price if unit != "pc" else _round_price(base_price * factor, spec.kind)
                track = spec.kind != "drink" or scheme in ("beans", "loose")
                kind = "shelf" if scheme in ("beans", "loose") else spec.kind
                barcode = None if kind == "drink" else generate_in_house(barcode_no)
                variant_id = new_id()
                rows.variants.append({
                    "id": variant_id, "client_ref": new_id(), "product_id": product_id,
                    "name": value, "options": {option: value} if option else {},
                    "sku": sku, "barcode": barcode, "price": price, "compare_at_price": None,
                    "cost": int(price * _COST_SHARE[spec.kind]),
                    "tax_rate_id": tax_rate_ids[tax_code], "unit": unit,
                    "precision": precision, "track_inventory": track,
                    "inventory_policy": "CONTINUE" if kind == "baked" else "DENY",
                    "low_stock_threshold": _low_stock(kind, unit) if track else None,
                    "position": v_pos, **stamps,
                })
                variant_words += [sku, barcode or "", value]
                rows.sellable.append(SellableVariant(
                    variant_id, product_id, f"{name} – {value}" if value else name, sku, price,
                    tax_code, unit, precision, kind, scheme, spec.name, v_pos, track,
                    popularity * (1.0 if v_pos == 0 else 0.35),
                ))
            rows.products.append({
                "id": product_id, "client_ref": new_id(), "name": name,
                "description": spec.description.format(blurb=blurb),
                "category_id": category_id, "dietary_tags": tags, "visibility": "VISIBLE",
                "availability": "AVAILABLE",
                "width_mm": dims[0] if dims else None, "height_mm": dims[1] if dims else None,
                "depth_mm": dims[2] if dims else None, "weight_g": dims[3] if dims else None,
                "material": spec.material if spec.kind == "craft" else None,
                "style": spec.style if spec.kind == "craft" else None,
                "search_keywords": " ".join(w for w in [spec.name, *tags, *variant_words] if w),
                **stamps,
            })
            rows.initials[product_id] = (name, spec.name, spec.color)
    return rows


def _low_stock(kind: str, unit: str) -> int:
    if unit == "kg":
        return 2 * QTY_SCALE
    if unit == "g":
        return 500 * QTY_SCALE
    return {"shelf": 6, "craft": 2, "baked": 0}.get(kind, 0) * QTY_SCALE
