"""Catalog UI fixtures: a shop with a small catalog, a core with a signed-in owner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from local_db.database import Database
from tests.conftest import ShopFixture
from ui import workers
from vendor_console.permissions import Actor
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.inventory import InventoryService
from vendor_console.settings import Settings

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


@dataclass
class Core:
    db: Database
    signed_in: Actor | None = None
    settings: Settings = field(init=False)

    def __post_init__(self) -> None:
        self.settings = Settings(self.db)


@dataclass(frozen=True)
class Shelf:
    shop: ShopFixture
    bakery: str  # category ids
    pantry: str
    products: dict[str, str]  # name -> product id
    variants: dict[str, str]  # name -> first variant id


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


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


@pytest.fixture(autouse=True)
def _workers_done(db: Database, qtbot: QtBot) -> Iterator[None]:
    """Before the database closes: no worker may still be using it."""
    yield
    workers.wait_for_threads()
    qtbot.waitUntil(lambda: workers.pending() == 0)
