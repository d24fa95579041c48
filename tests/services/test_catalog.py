"""The catalog service against a real SQLite file: edits, validation, tombstones, lookups."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from local_db.tables import outbox, products, variants
from local_db.writer import ChangeSet
from tests.conftest import ShopFixture
from vendor_console.errors import (
    DuplicateBarcode,
    DuplicateSku,
    InvalidBarcode,
    InvalidPrice,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from vendor_console.services.catalog import CatalogService, ProductDraft, VariantDraft

EAN = "5901234123457"
UPC = "036000291452"


def _counts(shop: ShopFixture) -> tuple[int, int, int]:
    with shop.db.read() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in (products, variants, outbox)
        )


def _outbox(shop: ShopFixture) -> list[Any]:
    with shop.db.read() as conn:
        return list(conn.execute(
            select(outbox.c.resource_type, outbox.c.resource_id, outbox.c.operation,
                   outbox.c.payload).order_by(outbox.c.seq)
        ))


def _cookie(**variant: Any) -> ProductDraft:
    fields: dict[str, Any] = {"price": 350, "sku": "COOK-1", "barcode": EAN}
    fields.update(variant)
    return ProductDraft(name="  Chocolate   Chip Cookie ", dietary_tags=["vegan", "vegan"],
                        material="oat", variants=[VariantDraft(**fields)])


def test_create_writes_product_variants_and_outbox_together(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    changes: list[ChangeSet] = []
    shop.db.subscribe(changes.append)
    rate = shop.tax_rate_ids["standard"]
    record = catalog.create_product(shop.owner, ProductDraft(
        name="Sourdough", category_id=None, dietary_tags=["vegan"], variants=[
            VariantDraft(name="Small", price=450, sku="SD-S", barcode=" 5 901234 123457",
                         tax_rate_id=rate, options={"Size": "Small"}),
            VariantDraft(name="Large", price=700, compare_at_price=800, sku="SD-L"),
        ],
    ))
    assert record.name == "Sourdough"
    assert [(v.name, v.price, v.sku, v.barcode, v.on_hand) for v in record.variants] == [
        ("Small", 450, "SD-S", EAN, 0), ("Large", 700, "SD-L", None, 0),
    ]
    assert record.variants[0].tax_rate_id == rate
    assert catalog.get_product(record.id) == record
    [(kind, rid, op, payload)] = _outbox(shop)
    assert (kind, rid, op) == ("product", record.id, "create")
    assert payload["client_ref"] == record.client_ref
    assert payload["name"] == "Sourdough"
    assert [v["sku"] for v in payload["variants"]] == ["SD-S", "SD-L"]
    assert any(c.changes.get("product") == frozenset({record.id}) for c in changes)
    with shop.db.read() as conn:
        keywords = conn.execute(select(products.c.search_keywords)).scalar()
    for word in ("Small", "Large", "SD-S", EAN, "vegan"):
        assert word in str(keywords)


def test_names_tags_and_codes_are_tidied(shop: ShopFixture) -> None:
    record = CatalogService(shop.db).create_product(shop.owner, _cookie(sku="  COOK-1 "))
    assert record.name == "Chocolate Chip Cookie"
    assert record.dietary_tags == ("vegan",)
    assert record.variants[0].sku == "COOK-1"


def test_duplicate_sku_names_the_product_that_has_it_and_writes_nothing(
    shop: ShopFixture,
) -> None:
    catalog = CatalogService(shop.db)
    catalog.create_product(shop.owner, _cookie())
    before = _counts(shop)
    with pytest.raises(DuplicateSku) as info:
        catalog.create_product(shop.owner, ProductDraft(
            name="Cookie twin", variants=[VariantDraft(price=100, sku="COOK-1")]))
    assert "Chocolate Chip Cookie" in info.value.user_message
    with pytest.raises(DuplicateBarcode) as info2:
        catalog.create_product(shop.owner, ProductDraft(
            name="Cookie twin", variants=[VariantDraft(price=100, barcode=EAN)]))
    assert "Chocolate Chip Cookie" in info2.value.user_message
    assert _counts(shop) == before


@pytest.mark.parametrize(("first", "second", "error"), [
    ({"sku": "X-1"}, {"sku": "X-1"}, DuplicateSku),
    ({"barcode": EAN}, {"barcode": "590 1234 123457"}, DuplicateBarcode),
])
def test_duplicate_inside_one_draft_is_refused(
    shop: ShopFixture, first: dict[str, Any], second: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        CatalogService(shop.db).create_product(shop.owner, ProductDraft(
            name="Twins", variants=[VariantDraft(name="A", price=1, **first),
                                    VariantDraft(name="B", price=1, **second)]))
    assert _counts(shop) == (0, 0, 0)


@pytest.mark.parametrize("variant", [
    {"price": -1},
    {"price": 1_000_000_000},
    {"price": 500, "compare_at_price": 400},
    {"price": 500, "cost": -5},
])
def test_bad_prices_are_refused_and_nothing_is_written(
    shop: ShopFixture, variant: dict[str, Any]
) -> None:
    with pytest.raises(InvalidPrice):
        CatalogService(shop.db).create_product(
            shop.owner, ProductDraft(name="Tart", variants=[VariantDraft(**variant)]))
    assert _counts(shop) == (0, 0, 0)


def test_barcode_with_wrong_check_digit_is_refused(shop: ShopFixture) -> None:
    with pytest.raises(InvalidBarcode) as info:
        CatalogService(shop.db).create_product(shop.owner, _cookie(barcode="5901234123458"))
    assert "7" in info.value.user_message
    assert _counts(shop) == (0, 0, 0)


@pytest.mark.parametrize("draft", [
    ProductDraft(name="   ", variants=[VariantDraft(price=1)]),
    ProductDraft(name="x" * 201, variants=[VariantDraft(price=1)]),
    ProductDraft(name="No variants"),
    ProductDraft(name="Odd unit", variants=[VariantDraft(price=1, unit="bushel")]),
    ProductDraft(name="Bad tax", variants=[VariantDraft(price=1, tax_rate_id="nope")]),
    ProductDraft(name="Bad category", category_id="nope", variants=[VariantDraft(price=1)]),
])
def test_incomplete_drafts_are_refused(shop: ShopFixture, draft: ProductDraft) -> None:
    with pytest.raises((ValidationError, NotFound)):
        CatalogService(shop.db).create_product(shop.owner, draft)
    assert _counts(shop) == (0, 0, 0)


def test_cashier_may_not_edit_the_catalog(shop: ShopFixture) -> None:
    with pytest.raises(PermissionDenied):
        CatalogService(shop.db).create_product(shop.cashier, _cookie())
    assert _counts(shop) == (0, 0, 0)
    record = CatalogService(shop.db).create_product(shop.cashier, _cookie(),
                                                    approver=shop.manager)
    assert record.variants[0].sku == "COOK-1"


def test_update_edits_adds_and_archives_variants(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    record = catalog.create_product(shop.owner, ProductDraft(name="Jam", variants=[
        VariantDraft(name="Small", price=300, sku="JAM-S"),
        VariantDraft(name="Large", price=500, sku="JAM-L"),
    ]))
    small, large = record.variants
    draft = record.to_draft()
    edited = replace(draft, name="Raspberry jam", variants=[
        replace(draft.variants[0], price=320),
        VariantDraft(name="Jumbo", price=900, sku="JAM-L"),  # takes the archived one's SKU
    ])
    updated = catalog.update_product(shop.manager, record.id, edited)
    assert updated.name == "Raspberry jam"
    assert [(v.name, v.price, v.sku) for v in updated.variants] == [
        ("Small", 320, "JAM-S"), ("Jumbo", 900, "JAM-L"),
    ]
    assert updated.variants[0].id == small.id
    assert large.id not in {v.id for v in updated.variants}
    _, _, op, payload = _outbox(shop)[-1]
    assert op == "update"
    assert payload["changes"] == {"name": "Raspberry jam"}
    assert payload["variants"]["update"] == [
        {"id": small.id, "client_ref": small.client_ref, "price": 320}]
    assert payload["variants"]["delete"] == [{"id": large.id, "client_ref": large.client_ref}]
    assert [v["name"] for v in payload["variants"]["create"]] == ["Jumbo"]
    assert catalog.find_by_sku("JAM-L").variant_name == "Jumbo"  # type: ignore[union-attr]


def test_update_without_changes_writes_nothing(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    record = catalog.create_product(shop.owner, _cookie())
    catalog.update_product(shop.owner, record.id, record.to_draft())
    assert len(_outbox(shop)) == 1


def test_skus_can_swap_between_variants_in_one_edit(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    record = catalog.create_product(shop.owner, ProductDraft(name="Mug", variants=[
        VariantDraft(name="Blue", price=1200, sku="MUG-1", barcode=EAN),
        VariantDraft(name="Red", price=1200, sku="MUG-2", barcode=UPC),
    ]))
    blue, red = record.to_draft().variants
    swapped = catalog.update_product(shop.owner, record.id, replace(record.to_draft(), variants=[
        replace(blue, sku="MUG-2", barcode=UPC), replace(red, sku="MUG-1", barcode=EAN),
    ]))
    assert [(v.name, v.sku, v.barcode) for v in swapped.variants] == [
        ("Blue", "MUG-2", UPC), ("Red", "MUG-1", EAN),
    ]


def test_update_refuses_a_clash_with_another_product(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    catalog.create_product(shop.owner, _cookie())
    tart = catalog.create_product(shop.owner, ProductDraft(
        name="Tart", variants=[VariantDraft(price=400, sku="TART")]))
    draft = tart.to_draft()
    with pytest.raises(DuplicateSku):
        catalog.update_product(shop.owner, tart.id, replace(
            draft, variants=[replace(draft.variants[0], sku="COOK-1")]))
    assert catalog.get_product(tart.id).variants[0].sku == "TART"


def test_archive_is_a_tombstone_that_frees_its_codes(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    record = catalog.create_product(shop.owner, _cookie())
    assert catalog.search("cookie")
    catalog.archive_product(shop.manager, record.id)
    assert catalog.search("cookie") == []
    assert catalog.search(EAN) == []
    tombstone = catalog.get_product(record.id)
    assert tombstone.archived_at is not None
    found = catalog.find_by_barcode(EAN)
    assert found is not None and found.archived
    _, rid, op, payload = _outbox(shop)[-1]
    assert (rid, op, payload["client_ref"]) == (record.id, "delete", record.client_ref)
    with pytest.raises(NotFound):
        catalog.update_product(shop.owner, record.id, record.to_draft())
    again = catalog.create_product(shop.owner, replace(_cookie(), name="New cookie"))
    hit = catalog.find_by_barcode(EAN)
    assert hit is not None and not hit.archived and hit.product_id == again.id


def test_find_by_barcode_and_sku(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    record = catalog.create_product(shop.owner, _cookie(barcode=UPC, sku="COOK-1"))
    by_ean13 = catalog.find_by_barcode("0" + UPC)  # the same code read as an EAN-13
    assert by_ean13 is not None and by_ean13.variant_id == record.variants[0].id
    assert by_ean13.price == 350 and by_ean13.display_name == "Chocolate Chip Cookie"
    assert catalog.find_by_sku("cook-1") == by_ean13
    assert catalog.find_by_barcode("SHOP-404") is None
    assert catalog.find_by_sku("  ") is None
    with pytest.raises(InvalidBarcode):
        catalog.find_by_barcode("036000291453")


def test_categories_are_listed_and_make_products_findable(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    pastry = catalog.create_category(shop.owner, "Pastry", color="#FFCC00")
    catalog.create_category(shop.owner, "Croissants", parent_id=pastry.id)
    assert [c.name for c in catalog.list_categories()] == ["Pastry", "Croissants"]
    with pytest.raises(ValidationError):
        catalog.create_category(shop.owner, "pastry")
    with pytest.raises(ValidationError):
        catalog.create_category(shop.owner, "Bread", color="yellow")
    with pytest.raises(PermissionDenied):
        catalog.create_category(shop.cashier, "Bread")
    catalog.create_product(shop.owner, replace(_cookie(), category_id=pastry.id))
    [hit] = catalog.search("pastr")
    assert hit.name == "Chocolate Chip Cookie"
    assert catalog.get_product(hit.product_id).category_name == "Pastry"
