"""The demo catalog in the marketplace's wire shape, for the sandbox's ``seed --demo``.

The marketplace sandbox shares no code with the console, so it cannot build the demo catalog
itself. Instead the console writes its demo catalog once, as data, to
``marketplace_sandbox/demo_catalog.json`` (``vendor-console demo export-catalog``); the sandbox
seeds its demo vendor from that file, and ``tests/test_demo.py`` fails when the file no longer
matches what the console's demo builder makes. SKUs are the natural key both sides share.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from vendor_console.demo.builder import DEFAULT_SEED, DRAFT, SHOP_NAME
from vendor_console.demo.catalog import build_catalog

SANDBOX_FILE = Path(__file__).resolve().parents[2] / "marketplace_sandbox" / "demo_catalog.json"


def demo_catalog_document(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Categories, products and variants of the demo shop as plain JSON-able data."""
    tax_codes = {rate.code: rate.code for rate in DRAFT.tax_rates}
    rows = build_catalog(random.Random(seed), tax_codes, "2000-01-01T00:00:00.000000Z")
    category_names = {c["id"]: c["name"] for c in rows.categories}
    variants_of: dict[str, list[dict[str, Any]]] = {}
    for v in rows.variants:
        variants_of.setdefault(v["product_id"], []).append({
            "name": v["name"] or "Default", "options": v["options"], "sku": v["sku"],
            "barcode": v["barcode"], "price": v["price"], "tax_code": v["tax_rate_id"],
            "unit": v["unit"], "precision": v["precision"],
            "track_inventory": v["track_inventory"], "inventory_policy": v["inventory_policy"],
        })
    return {
        "shop": SHOP_NAME, "currency": DRAFT.currency, "timezone": DRAFT.timezone,
        "categories": [c["name"] for c in rows.categories],
        "products": [{
            "name": p["name"], "description": p["description"],
            "category": category_names[p["category_id"]], "dietary_tags": p["dietary_tags"],
            "variants": variants_of[p["id"]],
        } for p in rows.products],
    }
