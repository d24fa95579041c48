"""Stock count sessions: scan or type, review variances, apply as PHYSICAL_COUNTs once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from local_db.tables import outbox, stock_movements
from tests.conftest import ShopFixture
from vendor_console.errors import NotFound, PermissionDenied, ValidationError
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.inventory import InventoryService
from vendor_console.services.stock_counts import StockCountService

BREAD = "4006381333931"


@pytest.fixture
def items(shop: ShopFixture) -> tuple[str, str]:
    catalog = CatalogService(shop.db)
    bread = catalog.create_product(shop.owner, ProductDraft(name="Bread", variants=[
        VariantDraft(price=300, barcode=BREAD)])).variants[0].id
    flour = catalog.create_product(shop.owner, ProductDraft(name="Flour", variants=[
        VariantDraft(price=200, sku="FLOUR-KG", unit="kg", precision=3)])).variants[0].id
    stock = InventoryService(shop.db)
    stock.receive(shop.owner, bread, 10_000)
    stock.receive(shop.owner, flour, 5_500)
    return bread, flour


def test_scan_type_review_and_apply_as_counts(shop: ShopFixture, items: tuple[str, str]
                                              ) -> None:
    bread, flour = items
    counts = StockCountService(shop.db)
    session = counts.start(shop.manager, "Monday count")
    for _ in range(3):
        line = counts.scan(shop.manager, session.id, BREAD)
    assert line.counted == 3_000 and line.expected == 10_000 and line.variance == -7_000
    counts.scan(shop.manager, session.id, "flour-kg")  # SKU, any case
    counts.set_counted(shop.manager, session.id, flour, 6_250)  # typed replaces the scan
    review = counts.review(session.id)
    assert [(r.name, r.counted, r.expected, r.variance) for r in review] == [
        ("Bread", 3_000, 10_000, -7_000), ("Flour", 6_250, 5_500, 750)]

    InventoryService(shop.db).adjust(shop.owner, bread, -1_000, "damaged")  # meanwhile
    movement_ids = counts.apply(shop.manager, session.id)
    assert len(movement_ids) == 2
    with shop.db.read() as conn:
        rows = conn.execute(
            select(stock_movements.c.variant_id, stock_movements.c.kind,
                   stock_movements.c.quantity, stock_movements.c.expected_on_hand,
                   stock_movements.c.reference_type, stock_movements.c.reference_id)
            .where(stock_movements.c.id.in_(movement_ids))).all()
        payloads = conn.execute(select(outbox.c.payload).where(
            outbox.c.resource_id.in_(movement_ids))).scalars().all()
    assert sorted(rows) == sorted([
        (bread, "PHYSICAL_COUNT", 3_000, 9_000, "count_session", session.id),
        (flour, "PHYSICAL_COUNT", 6_250, 5_500, "count_session", session.id)])
    assert sorted((p["type"], p["quantity"], p["expected_on_hand"]) for p in payloads) == [
        ("PHYSICAL_COUNT", 3_000, 9_000), ("PHYSICAL_COUNT", 6_250, 5_500)]
    stock = InventoryService(shop.db)
    assert stock.on_hand(bread) == 3_000 and stock.on_hand(flour) == 6_250
    with pytest.raises(ValidationError, match="already applied"):
        counts.apply(shop.manager, session.id)
    assert counts.open_sessions() == []


def test_bad_input_changes_nothing(shop: ShopFixture, items: tuple[str, str]) -> None:
    bread, flour = items
    counts = StockCountService(shop.db)
    session = counts.start(shop.manager)
    with pytest.raises(NotFound, match="NOPE"):
        counts.scan(shop.manager, session.id, "NOPE")
    with pytest.raises(ValidationError, match="more decimals"):
        counts.set_counted(shop.manager, session.id, bread, 1_500)
    with pytest.raises(PermissionDenied):
        counts.scan(shop.cashier, session.id, BREAD)
    with pytest.raises(ValidationError, match="Nothing has been counted"):
        counts.apply(shop.manager, session.id)
    assert counts.review(session.id) == []
    counts.cancel(shop.manager, session.id)
    with pytest.raises(ValidationError, match="cancelled"):
        counts.scan(shop.manager, session.id, BREAD)
    assert InventoryService(shop.db).on_hand(flour) == 5_500
