"""Tombstones: a product, variant or category deleted on the marketplace arrives through the
feed and is archived on the till, never hard-deleted (sales still reference it)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.sandbox.conftest import key
from tests.sync.conftest import Till
from tests.sync.helpers import sell


def delete_on_server(api: Any, path: str) -> None:
    version = api.get(path).json()["version"] if not path.startswith("/categories") else \
        next(c for c in api.get("/categories").json()["data"]
             if c["id"] == path.rsplit("/", 1)[1])["version"]
    r = api.delete(path, headers={"If-Match": f'"{version}"', "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 200, r.text


def test_a_product_deleted_on_the_server_is_archived_and_its_sales_still_resolve(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    product = str(till.scalar("SELECT product_id FROM variants WHERE id = ?", variant))
    sale = sell(till, variant, 2)
    assert till.sync().pending == 0
    delete_on_server(stocked["api"], f"/products/{stocked['product']['id']}")
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    assert till.rows("SELECT archived_at IS NOT NULL FROM products WHERE id = ?", product) == \
        [(1,)]
    assert till.rows("SELECT archived_at IS NOT NULL FROM variants WHERE id = ?", variant) == \
        [(1,)]
    # The sale's lines still find their product and variant.
    assert till.scalar(
        "SELECT COUNT(*) FROM sale_lines l JOIN variants v ON v.id = l.variant_id "
        "JOIN products p ON p.id = v.product_id WHERE l.sale_id = ?", sale) == 1


def test_a_variant_deleted_on_the_server_is_archived(till: Till,
                                                     stocked: dict[str, Any]) -> None:
    api = stocked["api"]
    r = api.post(f"/products/{stocked['product']['id']}/variants", headers=key(), json={
        "name": "Half", "price": {"amount": 350, "currency": "EUR"}, "sku": "SD-H",
        "client_ref": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    half = r.json()["id"]
    till.sync()
    local_half = till.variant(half)
    sell(till, local_half, 1)
    delete_on_server(api, f"/variants/{half}")
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    assert till.rows("SELECT archived_at IS NOT NULL FROM variants WHERE id = ?", local_half) \
        == [(1,)]
    whole = till.variant(stocked["variant"])
    assert till.rows("SELECT archived_at IS NULL FROM variants WHERE id = ?", whole) == [(1,)]


def test_a_category_deleted_on_the_server_is_archived(till: Till,
                                                      stocked: dict[str, Any]) -> None:
    api = stocked["api"]
    r = api.post("/categories", headers=key(), json={"name": "Pastries",
                                                     "client_ref": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    remote = r.json()["id"]
    till.sync()
    local = till.scalar("SELECT id FROM categories WHERE remote_id = ?", remote)
    assert till.scalar("SELECT name FROM categories WHERE id = ?", local) == "Pastries"
    delete_on_server(api, f"/categories/{remote}")
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    assert till.rows("SELECT name, archived_at IS NOT NULL FROM categories WHERE id = ?",
                     local) == [("Pastries", 1)]
