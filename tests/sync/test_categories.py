"""Categories made on the till reach the marketplace (create, rename, delete, by If-Match), and
a product in a new category waits for it and lands in it."""

from __future__ import annotations

from typing import Any

from local_db.rawsql import dbapi
from tests.sync.conftest import Till
from vendor_console.services import outbox
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft


def server_categories(stocked: dict[str, Any]) -> list[dict[str, Any]]:
    return list(stocked["api"].get("/categories").json()["data"])


def edit_category(till: Till, category_id: str, operation: str, **fields: Any) -> None:
    """What a category rename/removal writes: the row and its outbox message, in one write."""
    def write(tx: Any) -> None:
        conn = dbapi(tx.conn)
        if operation == "delete":
            conn.execute("UPDATE categories SET archived_at = '2026-01-02T00:00:00.000000Z' "
                         "WHERE id = ?", (category_id,))
        else:
            for key, value in fields.items():
                conn.execute(f"UPDATE categories SET {key} = ? WHERE id = ?",
                             (value, category_id))
        outbox.enqueue(tx, "category", category_id, operation, fields)
    till.db.write(write)


def test_a_category_made_offline_reaches_the_server_and_its_product_lands_in_it(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    catalog = CatalogService(till.db)
    breads = catalog.create_category(till.shop.owner, "Breads")
    rye = catalog.create_category(till.shop.owner, "Rye", parent_id=breads.id)
    product = catalog.create_product(till.shop.owner, ProductDraft(
        name="Dark rye", category_id=rye.id, variants=[VariantDraft(price=390, sku="RYE-9")]))
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0

    on_server = {c["client_ref"]: c for c in server_categories(stocked)}
    assert set(on_server) == {breads.id, rye.id}
    assert on_server[rye.id]["parent_id"] == on_server[breads.id]["id"]
    assert till.scalar("SELECT remote_id FROM categories WHERE id = ?", breads.id) == \
        on_server[breads.id]["id"]
    remote_product = stocked["api"].get("/products", params={"client_ref": product.id}).json()
    assert [p["category_id"] for p in remote_product["data"]] == [on_server[rye.id]["id"]]
    # The echo from the feed kept the product in its category locally.
    assert till.scalar("SELECT category_id FROM products WHERE id = ?", product.id) == rye.id


def test_category_rename_and_delete_are_sent_with_if_match(till: Till,
                                                          stocked: dict[str, Any]) -> None:
    till.sync()
    catalog = CatalogService(till.db)
    cakes = catalog.create_category(till.shop.owner, "Cakes")
    pies = catalog.create_category(till.shop.owner, "Pies")
    till.sync()
    edit_category(till, cakes.id, "update", name="Tarts")
    edit_category(till, pies.id, "delete")
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    names = {c["client_ref"]: c["name"] for c in server_categories(stocked)}
    assert names == {cakes.id: "Tarts"}
    remote_pies = till.scalar("SELECT remote_id FROM categories WHERE id = ?", pies.id)
    changes = stocked["api"].get("/changes", params={"limit": 1000}).json()["data"]
    assert any(c["resource_id"] == remote_pies and c["type"] == "category.deleted"
               for c in changes)
    assert till.scalar("SELECT archived_at IS NOT NULL FROM categories WHERE id = ?",
                       pies.id) == 1
