"""Bulk edits through the service: each kind of change, its outbox rows and audit entry, its
undo patches; invalid edits and missing permissions write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from local_db.tables import audit_log, outbox
from tests.conftest import ShopFixture
from vendor_console.errors import InvalidPrice, PermissionDenied, ValidationError
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_bulk import BulkEdit, CatalogBulkService, adjusted_price
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft


def rows(shop: ShopFixture) -> tuple[int, int]:
    with shop.db.read() as conn:
        return (conn.execute(select(func.count()).select_from(outbox)).scalar_one(),
                conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


@pytest.fixture
def products(shop: ShopFixture) -> list[str]:
    catalog = CatalogService(shop.db)
    made = [
        catalog.create_product(shop.owner, ProductDraft(
            name="Mug", dietary_tags=["gift"], variants=[
                VariantDraft(price=1000, name="Small"), VariantDraft(price=1500, name="Big")])),
        catalog.create_product(shop.owner, ProductDraft(
            name="Bowl", variants=[VariantDraft(price=2000)])),
    ]
    return [p.id for p in made]


def test_category_visibility_availability_tags_and_amount(shop: ShopFixture,
                                                          products: list[str]) -> None:
    catalog = CatalogService(shop.db)
    kitchen = catalog.create_category(shop.owner, "Kitchen").id
    bulk = CatalogBulkService(shop.db)
    before = rows(shop)
    result = bulk.apply(shop.manager, products, BulkEdit(
        price_amount=-250, category_id=kitchen, visibility="HIDDEN", availability="SOLD_OUT",
        add_tags=("sale",), remove_tags=("GIFT",)))
    assert set(result.changed) == set(products)
    assert rows(shop) == (before[0] + 2, before[1] + 1)  # one update each, one audit entry
    mug = catalog.get_product(products[0])
    assert (mug.category_name, mug.visibility, mug.availability, mug.dietary_tags) == (
        "Kitchen", "HIDDEN", "SOLD_OUT", ("sale",))
    assert [v.price for v in mug.variants] == [750, 1250]
    with shop.db.read() as conn:
        payload = conn.execute(select(outbox.c.payload).where(
            outbox.c.resource_id == products[0], outbox.c.operation == "update")).scalar_one()
    assert payload["changes"] == {"category_id": kitchen, "visibility": "HIDDEN",
                                  "availability": "SOLD_OUT", "dietary_tags": ["sale"]}
    assert sorted(u["price"] for u in payload["variants"]["update"]) == [750, 1250]

    bulk.apply_patches(shop.manager, list(result.undo))
    mug = catalog.get_product(products[0])
    assert (mug.category_id, mug.visibility, mug.dietary_tags) == (None, "VISIBLE", ("gift",))
    assert [v.price for v in mug.variants] == [1000, 1500]


def test_percent_rounds_half_up() -> None:
    assert adjusted_price(1005, BulkEdit(price_percent=Decimal("10"))) == 1106  # 1105.5
    assert adjusted_price(999, BulkEdit(price_percent=Decimal("-33.3"))) == 666  # 666.333


def test_bad_edits_and_missing_permission_write_nothing(shop: ShopFixture,
                                                        products: list[str]) -> None:
    bulk = CatalogBulkService(shop.db)
    before = rows(shop)
    with pytest.raises(InvalidPrice, match="below zero"):
        bulk.apply(shop.owner, products, BulkEdit(price_amount=-1200))  # the small mug
    with pytest.raises(InvalidPrice, match="-100 %"):
        bulk.apply(shop.owner, products, BulkEdit(price_percent=Decimal(-100)))
    with pytest.raises(ValidationError, match="visible or hidden"):
        bulk.apply(shop.owner, products, BulkEdit(visibility="SECRET"))
    with pytest.raises(ValidationError, match="Select at least one"):
        bulk.apply(shop.owner, [], BulkEdit(visibility="HIDDEN"))
    with pytest.raises(PermissionDenied):
        bulk.apply(shop.cashier, products, BulkEdit(visibility="HIDDEN"))
    assert rows(shop) == before
    assert [v.price for v in CatalogService(shop.db).get_product(products[0]).variants] == [
        1000, 1500]
