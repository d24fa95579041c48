"""Search-as-you-type: what the cashier sees first when typing or scanning into the search box."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from local_db.search import CANDIDATES, MatchTier, match_expressions, search_products, tokens
from local_db.tables import products, variants
from local_db.types import utc_now
from local_db.writer import Tx
from tests.conftest import ShopFixture
from vendor_console.ids import new_id
from vendor_console.services.catalog import CatalogService, ProductDraft, VariantDraft

BAR_CODE = "5901234123457"


@pytest.fixture
def catalog(shop: ShopFixture) -> CatalogService:
    service = CatalogService(shop.db)
    for name, variants_ in [
        ("Hot chocolate mix", [VariantDraft(price=450, sku="HOT-1")]),
        ("Dark Chocolate Bar", [VariantDraft(name="70 %", price=300, sku="DARK-70"),
                                VariantDraft(name="85 %", price=320, sku="DARK-85",
                                             barcode=BAR_CODE)]),
        ("Chocolate Chip Cookie", [VariantDraft(price=250, sku="COOK-1")]),
        ("Cherry Tart", [VariantDraft(price=500, sku="TART-1")]),
        ("Crème brûlée", [VariantDraft(price=550)]),
        ("Gift box", [VariantDraft(name="Chocolate assortment", price=2000)]),
    ]:
        service.create_product(shop.owner, ProductDraft(name=name, variants=variants_))
    return service


def _names(shop: ShopFixture, text: str, limit: int = 50) -> list[str]:
    with shop.db.read() as conn:
        return [hit.name for hit in search_products(conn, text, limit)]


def test_names_starting_with_the_query_come_first(shop: ShopFixture,
                                                  catalog: CatalogService) -> None:
    assert _names(shop, "choc") == [
        "Chocolate Chip Cookie",  # starts with it
        "Hot chocolate mix",  # a later word, shorter name first
        "Dark Chocolate Bar",
        "Gift box",  # only a variant name matches
    ]
    tiers = [hit.tier for hit in catalog.search("choc")]
    assert tiers == [MatchTier.NAME_STARTS, MatchTier.NAME_WORDS, MatchTier.NAME_WORDS,
                     MatchTier.KEYWORDS]


def test_two_letters_already_find_products(shop: ShopFixture, catalog: CatalogService) -> None:
    names = _names(shop, "ch")
    assert names[:2] == ["Cherry Tart", "Chocolate Chip Cookie"]
    assert set(names) >= {"Hot chocolate mix", "Dark Chocolate Bar"}


def test_every_word_typed_narrows_the_list(shop: ShopFixture, catalog: CatalogService) -> None:
    assert _names(shop, "dark choc") == ["Dark Chocolate Bar"]
    assert _names(shop, "choc dark") == ["Dark Chocolate Bar"]
    assert _names(shop, "choc chip cook") == ["Chocolate Chip Cookie"]
    assert _names(shop, "dark tart") == []


def test_accents_and_case_do_not_matter(shop: ShopFixture, catalog: CatalogService) -> None:
    assert _names(shop, "CREME BRU") == ["Crème brûlée"]
    assert _names(shop, "brûl") == ["Crème brûlée"]


def test_scanned_barcode_puts_that_exact_variant_first(shop: ShopFixture,
                                                       catalog: CatalogService) -> None:
    [hit] = catalog.search(BAR_CODE)
    assert hit.tier == MatchTier.EXACT_CODE
    assert (hit.name, hit.sku, hit.price, hit.variant_count) == (
        "Dark Chocolate Bar", "DARK-85", 320, 2)
    first = catalog.search("dark-85")[0]
    assert (first.sku, first.tier) == ("DARK-85", MatchTier.EXACT_CODE)
    plain = catalog.search("dark")[0]
    assert plain.sku == "DARK-70"  # without a code, the product's first variant


def test_archived_products_disappear(shop: ShopFixture, catalog: CatalogService) -> None:
    [tart] = catalog.search("cherry")
    catalog.archive_product(shop.owner, tart.product_id)
    assert catalog.search("cherry") == []
    assert catalog.search("TART-1") == []
    assert "Cherry Tart" not in _names(shop, "ch")


@pytest.mark.parametrize("text", [
    '"', "*", "AND(", "OR", "NEAR(", "^", ":", "-", "(", ")", "{", "+", "''", "   ", "", "_",
    "%", "\\", "NOT choc", "name:choc",
])
def test_punctuation_and_operators_are_plain_text(shop: ShopFixture, catalog: CatalogService,
                                                  text: str) -> None:
    assert _names(shop, text) == []  # never an FTS syntax error; operators are just words


@pytest.mark.parametrize("text", ['"choc', "choc*", "(choc)", "^choc", "choc:", '"choc"'])
def test_punctuation_around_words_is_ignored(shop: ShopFixture, catalog: CatalogService,
                                             text: str) -> None:
    assert _names(shop, text) == _names(shop, "choc")
    assert _names(shop, text)[0] == "Chocolate Chip Cookie"


def test_query_building_quotes_every_token() -> None:
    assert tokens('Dark "choc*" AND(') == ["dark", "choc", "and"]
    assert match_expressions(["dark", "choc"]) == [
        '"dark"* AND "choc"*', 'name : ^"dark"* AND "choc"*']
    assert match_expressions([]) == []


def test_many_matches_still_rank_names_starting_with_the_query_first(
    shop: ShopFixture,
) -> None:
    """More matches than one bounded fetch holds: the best ones are still found."""
    now = utc_now()

    def bulk(tx: Tx) -> None:
        rows, vrows = [], []
        for i in range(CANDIDATES + 50):  # inserted first, so FTS returns them first
            pid = new_id()
            rows.append({"id": pid, "client_ref": pid, "name": f"Green tea {i}",
                         "dietary_tags": [], "visibility": "VISIBLE",
                         "availability": "AVAILABLE", "search_keywords": "",
                         "created_at": now, "updated_at": now})
            vid = new_id()
            vrows.append({"id": vid, "client_ref": vid, "product_id": pid, "name": "",
                          "options": {}, "price": 100, "unit": "pc", "precision": 0,
                          "track_inventory": True, "inventory_policy": "DENY", "position": 0,
                          "created_at": now, "updated_at": now})
        tx.conn.execute(insert(products), rows)
        tx.conn.execute(insert(variants), vrows)

    shop.db.write(bulk)
    CatalogService(shop.db).create_product(
        shop.owner, ProductDraft(name="Tea cosy", variants=[VariantDraft(price=1500)]))
    names = _names(shop, "tea", limit=10)
    assert names[0] == "Tea cosy"
    assert len(names) == 10
    assert _names(shop, "green tea 24")[0] == "Green tea 24"
