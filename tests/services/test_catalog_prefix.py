"""One-character catalog searches answered from postings in display order: the same rows as
the FTS match in that order, for every sort, direction and filter, and current after changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ShopFixture
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_prefix import WARM_CHARACTERS
from vendor_console.services.catalog_table import (
    SORT_KEYS,
    CatalogFilter,
    MatchCache,
    matching,
)
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft

NAMES = ["Cherry jam", "cocoa nibs", "Apricot jam", "Crème brûlée", "Dark chocolate",
         "Éclair", "Zucchini bread", "7-grain loaf", "Oat cookies", "Chai tea"]


@pytest.fixture
def products(shop: ShopFixture) -> dict[str, str]:
    catalog = CatalogService(shop.db)
    pantry = catalog.create_category(shop.owner, "Pantry").id
    made = {}
    for i, name in enumerate(NAMES):
        made[name] = catalog.create_product(shop.owner, ProductDraft(
            name=name, category_id=pantry if i % 2 else None,
            dietary_tags=["vegan"] if i % 3 == 0 else [],
            variants=[VariantDraft(price=1000 - 37 * i, sku=f"SKU-{i}")])).id
    return made


def expected(shop: ShopFixture, f: CatalogFilter, char: str) -> list[int]:
    """The plain-SQL answer: the FTS prefix match of ``char``, in ``f``'s order."""
    sql = (f"SELECT p.rowid FROM products p WHERE p.archived_at IS NULL AND p.rowid IN "
           f"(SELECT rowid FROM product_search WHERE product_search MATCH ?) "
           f"ORDER BY {SORT_KEYS[f.sort]}, p.rowid")
    with shop.db.read() as conn:
        rows = [int(r[0]) for r in conn.exec_driver_sql(sql, (f'"{char}"*',))]
        if f.dietary_tag is not None:
            tagged = {int(r[0]) for r in conn.exec_driver_sql(
                "SELECT p.rowid FROM products p, json_each(p.dietary_tags) j "
                "WHERE j.value = ?", (f.dietary_tag,))}
            rows = [r for r in rows if r in tagged]
    return rows[::-1] if f.descending else rows


def run(shop: ShopFixture, f: CatalogFilter, cache: MatchCache) -> list[int]:
    with shop.db.read() as conn:
        return matching(conn, f, cache)


@pytest.mark.parametrize("sort", ["name", "price", "category"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("tag", [None, "vegan"])
def test_one_character_matches_equal_the_fts_match_in_order(
        shop: ShopFixture, products: dict[str, str], sort: str, descending: bool,
        tag: str | None) -> None:
    cache = MatchCache()
    for char in "cajez7oé":  # "é" folds to "e": the same postings as "e"
        f = CatalogFilter(text=char.upper() if char == "c" else char, sort=sort,
                          descending=descending, dietary_tag=tag)
        folded = "e" if char == "é" else char
        assert run(shop, f, cache) == expected(shop, f, folded), (char, sort)
        assert run(shop, f, cache) == expected(shop, f, folded)  # from the postings now


def test_warm_builds_every_letter_and_digit_and_the_keystroke_reads_them(
        shop: ShopFixture, products: dict[str, str]) -> None:
    cache = MatchCache()
    with shop.db.read() as conn:
        assert cache.warm_prefixes(conn) == len(WARM_CHARACTERS)
        assert cache.warm_prefixes(conn) == 0  # built once
    assert cache.prefixes_built() == len(WARM_CHARACTERS)
    first = run(shop, CatalogFilter(text="c"), cache)
    assert first is run(shop, CatalogFilter(text="c"), cache)  # the posting list itself
    assert first == expected(shop, CatalogFilter(), "c")
    # Two characters and more go through the FTS match as before.
    assert run(shop, CatalogFilter(text="ch"), cache) == expected(shop, CatalogFilter(), "ch")


def test_postings_follow_catalog_changes(shop: ShopFixture,
                                         products: dict[str, str]) -> None:
    cache = MatchCache()
    with shop.db.read() as conn:
        cache.warm_prefixes(conn)
    before = run(shop, CatalogFilter(text="c"), cache)
    catalog = CatalogService(shop.db)
    catalog.create_product(shop.owner, ProductDraft(
        name="Almond cake", variants=[VariantDraft(price=900)]))
    catalog.archive_product(shop.owner, products["Cherry jam"])
    cache.invalidate()  # what the page does on its change feed
    assert cache.prefixes_built() == 0
    after = run(shop, CatalogFilter(text="c"), cache)
    assert after == expected(shop, CatalogFilter(), "c") != before
    names = _names(shop, after)
    assert "Almond cake" in names and "Cherry jam" not in names


def _names(shop: ShopFixture, rowids: list[int]) -> list[Any]:
    with shop.db.read() as conn:
        found: dict[int, str] = dict(conn.exec_driver_sql("SELECT rowid, name FROM products").all())
    return [found[r] for r in rowids]
