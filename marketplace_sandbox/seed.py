"""Demo data: the "Hazel & Rye" vendor with a small catalog matching the console's demo shop."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from marketplace_sandbox import auth, catalog, clock, inventory
from marketplace_sandbox.db import Database
from marketplace_sandbox.resources import SYSTEM
from marketplace_sandbox.schemas import CategoryCreate, ProductCreate, VariantCreate
from marketplace_sandbox.vendors import create_vendor

DEMO_NAME = "Hazel & Rye"
STARTING_STOCK = 40
# (category, product, [(variant, price in minor units, sku, track_inventory)])
DEMO_CATALOG = [
    ("Breads", "Sourdough loaf", [("Whole loaf", 650, "BRD-SOUR-W", True),
                                  ("Half loaf", 360, "BRD-SOUR-H", True)]),
    ("Breads", "Rye & caraway", [("Whole loaf", 580, "BRD-RYE-W", True)]),
    ("Pastries", "Cardamom bun", [("Single", 325, "PST-CARD-1", True),
                                  ("Box of 6", 1790, "PST-CARD-6", True)]),
    ("Pastries", "Hazelnut croissant", [("Single", 350, "PST-HAZ-1", True)]),
    ("Coffee & Tea", "Flat white", [("Regular", 320, "COF-FW-R", False),
                                    ("Large", 370, "COF-FW-L", False)]),
    ("Preserves", "Damson jam", [("227 g jar", 550, "PRV-DAM-227", True)]),
]


@dataclass(frozen=True, slots=True)
class SeedResult:
    vendor_id: str
    location_id: str
    api_key: str
    pairing_code: str


def seed_demo(db: Database, pairing_ttl: int = 7 * 86_400) -> SeedResult:
    vendor_id, location_id = create_vendor(db, DEMO_NAME, currency="GBP",
                                           timezone="Europe/London", location_name="Bakery")
    with db.write() as tx:
        category_ids: dict[str, str] = {}
        for category, name, variant_specs in DEMO_CATALOG:
            if category not in category_ids:
                category_ids[category] = catalog.create_category(
                    tx, vendor_id, CategoryCreate(name=category, client_ref=str(uuid.uuid4()),
                                                  position=len(category_ids)), SYSTEM)["id"]
            body = ProductCreate(
                name=name, category_id=category_ids[category], client_ref=str(uuid.uuid4()),
                variants=[VariantCreate.model_validate({
                    "name": vname, "sku": sku, "price": {"amount": price, "currency": "GBP"},
                    "track_inventory": tracked}) for vname, price, sku, tracked in variant_specs])
            product = catalog.create_product(tx, vendor_id, "GBP", body, SYSTEM)
            for variant in product["variants"]:
                if variant["track_inventory"]:
                    inventory.record(
                        tx, vendor_id, client_change_id=f"seed:{variant['id']}",
                        type_="PHYSICAL_COUNT", variant_id=variant["id"],
                        location_id=location_id, amount_m=STARTING_STOCK * 1000, precision=0,
                        reason="count", occurred_us=clock.now_us(), reference=None,
                        note="opening stock", actor=SYSTEM)
    return SeedResult(vendor_id, location_id, auth.create_api_key(db, vendor_id),
                      auth.create_pairing_code(db, vendor_id, pairing_ttl))
