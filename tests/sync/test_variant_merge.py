"""Variant-level merges: a till's price edit and a marketplace SKU edit on the same variant both
survive; the same field changed on both sides is a conflict for the user."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from sync.service import SyncService
from tests.sync.conftest import Till
from vendor_console.services.catalog import CatalogService
from vendor_console.settings import MARKETPLACE_URL, Settings


def service(till: Till) -> SyncService:
    settings = Settings(till.db)
    settings.set(MARKETPLACE_URL, till.vendor.server.url + "/vendor/v1")
    return SyncService(till.db, settings)


def reprice_locally(till: Till, variant: str, price: int) -> str:
    catalog = CatalogService(till.db)
    product_id = str(till.scalar("SELECT product_id FROM variants WHERE id = ?", variant))
    draft = catalog.get_product(product_id).to_draft()
    variants = [dataclasses.replace(v, price=price) if v.id == variant else v
                for v in draft.variants]
    catalog.update_product(till.shop.owner, product_id,
                           dataclasses.replace(draft, variants=variants))
    return product_id


def dashboard_variant_patch(api: Any, variant: str, **fields: Any) -> None:
    doc = api.get(f"/variants/{variant}").json()
    r = api.patch(f"/variants/{variant}", json=fields,
                  headers={"If-Match": f'"{doc["version"]}"',
                           "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 200, r.text


def test_a_till_price_and_a_marketplace_sku_merge_field_by_field(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    remote = stocked["variant"]
    variant = till.variant(remote)
    reprice_locally(till, variant, 725)  # offline
    dashboard_variant_patch(stocked["api"], remote, sku="SD-WHOLE")  # meanwhile, online
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    doc = stocked["api"].get(f"/variants/{remote}").json()
    assert (doc["price"]["amount"], doc["sku"]) == (725, "SD-WHOLE")
    assert till.rows("SELECT price, sku FROM variants WHERE id = ?", variant) == \
        [(725, "SD-WHOLE")]
    assert service(till).issues() == []


def test_the_same_variant_field_changed_on_both_sides_is_a_conflict(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    remote = stocked["variant"]
    variant = till.variant(remote)
    reprice_locally(till, variant, 725)
    dashboard_variant_patch(stocked["api"], remote, price={"amount": 800, "currency": "EUR"},
                            sku="SD-WHOLE")
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    issues = service(till).issues()
    assert [i.kind for i in issues] == ["conflict"]
    price = issues[0].details["fields"][f"{variant}.price"]
    assert (price["mine"]["amount"], price["theirs"]["amount"]) == (725, 800)
    # Until the user chooses, the marketplace's value stands on both sides (and its SKU).
    assert stocked["api"].get(f"/variants/{remote}").json()["price"]["amount"] == 800
    assert till.rows("SELECT price, sku FROM variants WHERE id = ?", variant) == \
        [(800, "SD-WHOLE")]
