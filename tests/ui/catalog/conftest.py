"""Catalog UI fixtures: a shop with a small catalog, a core with a signed-in owner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ShopFixture
from tests.ui.page_fixtures import (  # noqa: F401 (fixture; tests import the noise)
    OFFSCREEN_NOISE,
    _workers_done,
    ignore_offscreen_noise,
)
from tests.ui.page_fixtures import FakeCore as Core
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.inventory import InventoryService


@dataclass(frozen=True)
class Shelf:
    shop: ShopFixture
    bakery: str  # category ids
    pantry: str
    products: dict[str, str]  # name -> product id
    variants: dict[str, str]  # name -> first variant id


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    ignore_offscreen_noise(items, Path(__file__).parent)


@pytest.fixture
def shelf(shop: ShopFixture) -> Shelf:
    catalog = CatalogService(shop.db)
    owner = shop.owner
    bakery = catalog.create_category(owner, "Bakery").id
    pantry = catalog.create_category(owner, "Pantry").id
    products: dict[str, str] = {}
    variants: dict[str, str] = {}

    def add(name: str, price: int, category: str, tags: list[str] | None = None,
            **extra: object) -> None:
        visibility = str(extra.pop("visibility", "VISIBLE"))
        availability = str(extra.pop("availability", "AVAILABLE"))
        record = catalog.create_product(owner, ProductDraft(
            name=name, category_id=category, dietary_tags=tags or [], visibility=visibility,
            availability=availability,
            variants=[VariantDraft(price=price, **extra)]))  # type: ignore[arg-type]
        products[name] = record.id
        variants[name] = record.variants[0].id

    add("Sourdough loaf", 450, bakery, ["vegan"], sku="BREAD-1", low_stock_threshold=5000)
    add("Rye bread", 380, bakery, ["vegan"], visibility="HIDDEN")
    add("Apricot jam", 600, pantry, ["vegan", "gluten-free"], availability="SOLD_OUT")
    add("Cherry jam", 650, pantry, ["gluten-free"], compare_at_price=700)
    add("Butter croissant", 220, bakery)
    stock = InventoryService(shop.db)
    stock.receive(owner, variants["Sourdough loaf"], 3000)  # 3 <= 5: low
    stock.receive(owner, variants["Butter croissant"], 12000)
    return Shelf(shop, bakery, pantry, products, variants)


@pytest.fixture
def core(shelf: Shelf) -> Core:
    return Core(shelf.shop.db, signed_in=shelf.shop.owner)
