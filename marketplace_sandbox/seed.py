"""Demo data: the "Hazel & Rye" vendor with a small catalog matching the console's demo shop."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from marketplace_sandbox import auth, catalog, clock, inventory
from marketplace_sandbox.db import Database
from marketplace_sandbox.resources import SYSTEM
from marketplace_sandbox.schemas import CategoryCreate, ProductCreate, VariantCreate
from marketplace_sandbox.vendors import create_vendor

DEMO_NAME = "Hazel & Rye"
STARTING_STOCK = 40
# The console's demo catalog as data (written by `vendor-console demo export-catalog`; a console
# test fails when it drifts), so a paired demo till and the demo vendor share every SKU.
DEMO_CATALOG_FILE = Path(__file__).resolve().parent / "demo_catalog.json"


def demo_catalog() -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(DEMO_CATALOG_FILE.read_bytes())
    return document


@dataclass(frozen=True, slots=True)
class SeedResult:
    vendor_id: str
    location_id: str
    api_key: str
    pairing_code: str


def seed_demo(db: Database, pairing_ttl: int = 7 * 86_400) -> SeedResult:
    document = demo_catalog()
    currency = document["currency"]
    vendor_id, location_id = create_vendor(db, DEMO_NAME, currency=currency,
                                           timezone=document["timezone"],
                                           location_name="Bakery")
    with db.write() as tx:
        category_ids: dict[str, str] = {}
        for position, category in enumerate(document["categories"]):
            category_ids[category] = catalog.create_category(
                tx, vendor_id, CategoryCreate(name=category, client_ref=str(uuid.uuid4()),
                                              position=position), SYSTEM)["id"]
        for spec in document["products"]:
            body = ProductCreate(
                name=spec["name"], description=spec["description"],
                category_id=category_ids[spec["category"]], client_ref=str(uuid.uuid4()),
                dietary_tags=spec["dietary_tags"],
                variants=[VariantCreate.model_validate({
                    **variant, "price": {"amount": variant["price"], "currency": currency},
                    "position": position,
                }) for position, variant in enumerate(spec["variants"])])
            product = catalog.create_product(tx, vendor_id, currency, body, SYSTEM)
            for variant in product["variants"]:
                if variant["track_inventory"]:
                    amount_m = STARTING_STOCK * 1000 * (1000 if variant["unit"] == "g" else 1)
                    inventory.record(
                        tx, vendor_id, client_change_id=f"seed:{variant['id']}",
                        type_="PHYSICAL_COUNT", variant_id=variant["id"],
                        location_id=location_id, amount_m=amount_m,
                        precision=variant["precision"], reason="count",
                        occurred_us=clock.now_us(), reference=None, note="opening stock",
                        actor=SYSTEM)
    return SeedResult(vendor_id, location_id, auth.create_api_key(db, vendor_id),
                      auth.create_pairing_code(db, vendor_id, pairing_ttl))
