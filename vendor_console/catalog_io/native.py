"""The native JSONL catalog: a header line, then one product per line, every field kept.

``{"format": "vendor-console/catalog", "version": 1, "currency": "EUR"}`` first; product
lines carry our ``client_ref``s (products and variants are matched on them when imported
back), prices in minor units, quantities as decimal text per location name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from vendor_console.catalog_io.model import (
    ImportProduct,
    ImportVariant,
    ParsedFile,
    RowIssue,
    StockEntry,
)
from vendor_console.catalog_io.table import ImportFileError

FORMAT = "vendor-console/catalog"
VERSION = 1
PRODUCT_KEYS = ("name", "description", "dietary_tags", "visibility", "availability", "width_mm",
                "height_mm", "depth_mm", "weight_g", "material", "style")
VARIANT_KEYS = ("name", "options", "sku", "barcode", "price", "compare_at_price", "cost", "unit",
                "precision", "track_inventory", "inventory_policy", "low_stock_threshold")


def looks_native(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(200).lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"{") and FORMAT.encode() in head


def read_native(path: Path, currency: str) -> ParsedFile:
    parsed = ParsedFile("native", "native", details={"format": "jsonl"})
    lines = path.read_bytes().splitlines()
    try:
        header = orjson.loads(lines[0].lstrip(b"\xef\xbb\xbf"))
    except (orjson.JSONDecodeError, IndexError) as exc:
        raise ImportFileError(f"{path.name}: the first line is not a catalog header.") from exc
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ImportFileError(f"{path.name} is not a version {VERSION} catalog file.")
    if header.get("currency") != currency:
        raise ImportFileError(f"{path.name} has prices in {header.get('currency')}, this shop "
                              f"sells in {currency}; nothing was changed.")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
            parsed.products.append(_product(item, number))
        except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError, ValueError) as exc:
            parsed.errors.append(RowIssue(number, None, f"Line {number} is not a product: {exc}"))
    return parsed


_INT = (int,)
_TEXT = (str,)
_TYPES: dict[str, tuple[type, ...]] = {
    "name": _TEXT, "description": _TEXT, "visibility": _TEXT, "availability": _TEXT,
    "width_mm": _INT, "height_mm": _INT, "depth_mm": _INT, "weight_g": _INT, "material": _TEXT,
    "style": _TEXT, "sku": _TEXT, "barcode": _TEXT, "price": _INT, "compare_at_price": _INT,
    "cost": _INT, "unit": _TEXT, "precision": _INT, "track_inventory": (bool,),
    "inventory_policy": _TEXT, "low_stock_threshold": _INT, "category": _TEXT,
    "tax_code": _TEXT, "client_ref": _TEXT, "options": (dict,), "dietary_tags": (list,),
}
_REQUIRED = {"name", "price", "client_ref"}


def _check_types(values: dict[str, Any]) -> None:
    for key, value in values.items():
        kinds = _TYPES.get(key)
        if kinds is None or (value is None and key not in _REQUIRED):
            continue
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ValueError(f"“{key}” must be {kinds[0].__name__}, not {value!r}")
    for key in ("options", "dietary_tags"):
        inner = values.get(key) or {}
        items = inner.items() if isinstance(inner, dict) else ((t, t) for t in inner)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in items):
            raise ValueError(f"“{key}” must hold text only")


def _product(item: dict[str, Any], number: int) -> ImportProduct:
    if not isinstance(item, dict) or not isinstance(item.get("variants"), list):
        raise ValueError("a product is an object with a list of variants")
    _check_types({k: v for k, v in item.items() if k != "variants"})
    for v in item["variants"]:
        if not isinstance(v, dict):
            raise ValueError("a variant is an object")
        _check_types({k: x for k, x in v.items() if k not in ("on_hand", "name")})
        if not isinstance(v.get("name", ""), str):
            raise ValueError("a variant name is text")
    ref = str(item["client_ref"])
    product = ImportProduct(key=ref, rows=[number], client_ref=ref)
    product.fields = {k: item[k] for k in PRODUCT_KEYS if k in item}
    if "category" in item:
        product.fields["category_name"] = item["category"]
    for v in item["variants"]:
        variant = ImportVariant(number, {k: v[k] for k in VARIANT_KEYS if k in v})
        variant.fields["options"] = dict(variant.fields.get("options") or {})
        variant.fields["client_ref"] = str(v["client_ref"])
        if "tax_code" in v:
            variant.fields["tax_code"] = v["tax_code"]
        variant.stock = [StockEntry(loc, str(q), None, number)
                         for loc, q in dict(v.get("on_hand") or {}).items()]
        product.variants.append(variant)
    return product


def header_line(currency: str) -> bytes:
    return orjson.dumps({"format": FORMAT, "version": VERSION, "currency": currency}) + b"\n"


def product_line(item: dict[str, Any]) -> bytes:
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS) + b"\n"
