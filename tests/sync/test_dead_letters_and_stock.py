"""Dead letters (never blocking, retry/discard, sales never discarded), stock alerts, and
catalog edits merged against the last-seen base."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from local_db.rawsql import dbapi
from sync.outbox_store import DeadLetterError
from sync.service import SyncService
from tests.sync.conftest import Till
from tests.sync.faults import FaultTransport
from tests.sync.helpers import local_on_hand, sell, server_on_hand, server_sales
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.inventory import InventoryService
from vendor_console.settings import MARKETPLACE_URL, Settings


def service(till: Till) -> SyncService:
    settings = Settings(till.db)
    settings.set(MARKETPLACE_URL, till.vendor.server.url + "/vendor/v1")
    return SyncService(till.db, settings)


def break_payload(till: Till, resource_type: str, **changes: Any) -> str:
    """Make a queued message one the server refuses (as a bug or bad data would)."""
    def write(tx: Any) -> str:
        conn = dbapi(tx.conn)
        row_id, payload = conn.execute(
            "SELECT id, payload FROM outbox WHERE resource_type = ? AND status = 'PENDING' "
            "ORDER BY seq LIMIT 1", (resource_type,)).fetchone()
        conn.execute("UPDATE outbox SET payload = ? WHERE id = ?",
                     (orjson.dumps({**orjson.loads(payload), **changes}).decode(), row_id))
        return str(row_id)
    return str(till.db.write(write))


def test_a_rejected_row_is_dead_lettered_and_does_not_block_the_rest(
        till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    inventory = InventoryService(till.db)
    inventory.adjust(till.shop.owner, variant, -1 * QTY_SCALE, "damaged")
    bad = break_payload(till, "inventory_change", reason="other")  # "other" needs a note
    inventory.receive(till.shop.owner, variant, 5 * QTY_SCALE)
    sell(till, variant, 1)
    result = till.sync()
    assert result.dead_letters == 1 and result.pending == 0
    dead = service(till).dead_letters()
    assert [d.id for d in dead] == [bad]
    assert "note" in dead[0].reason
    assert server_on_hand(stocked["api"], stocked["variant"]) == "14"  # +5 -1 sale
    assert local_on_hand(till, variant) == 13 * QTY_SCALE  # the dead -1 still counts here
    service(till).discard(bad)  # a stock edit may be discarded: the server's figure stands
    assert local_on_hand(till, variant) == 14 * QTY_SCALE
    till.sync()
    assert local_on_hand(till, variant) == 14 * QTY_SCALE
    assert service(till).dead_letters() == []


def test_a_dead_sale_cannot_be_discarded_but_can_be_retried(till: Till,
                                                            stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    sale_id = sell(till, variant, 2)
    original = till.scalar("SELECT payload FROM outbox WHERE resource_type = 'sale'")
    bad = break_payload(till, "sale", lines=[])  # a sale without lines is refused
    result = till.sync()
    assert result.dead_letters == 1
    svc = service(till)
    with pytest.raises(DeadLetterError, match="cannot be discarded"):
        svc.discard(bad)
    assert svc.status().unsynced_sales == 1
    till.db.write(lambda tx: dbapi(tx.conn).execute(  # the fix (e.g. a new app version)
        "UPDATE outbox SET payload = ? WHERE id = ?", (original, bad)))
    svc.retry(bad)
    result = till.sync()
    assert result.dead_letters == 0 and result.pending == 0
    assert [s["sale_id"] for s in server_sales(stocked["api"])] == [sale_id]
    assert server_on_hand(stocked["api"], stocked["variant"]) == "8"


def test_negative_stock_and_oversell_reach_the_user(till: Till,
                                                    stocked: dict[str, Any]) -> None:
    till.sync()
    variant = till.variant(stocked["variant"])
    order = till.vendor.place_order(stocked["variant"], "4")
    till.sync()
    from vendor_console.services.orders import OrderService

    oid = till.scalar("SELECT id FROM orders WHERE remote_id = ?", order["id"])
    OrderService(till.db).act(oid, "accept", {"prep_minutes": 5})
    sell(till, variant, 12)  # the counter sells more than there is (the sale happened)
    till.sync()
    till.sync()
    assert server_on_hand(stocked["api"], stocked["variant"]) == "-2"
    kinds = {r[0] for r in till.rows("SELECT kind FROM sync_issues WHERE resolved_at IS NULL")}
    assert "negative_stock" in kinds
    issues = service(till).issues()
    assert any("Count it" in i.message for i in issues)


def test_oversell_alert_when_orders_hold_more_than_stock(till: Till,
                                                         stocked: dict[str, Any]) -> None:
    from vendor_console.services.orders import OrderService

    till.sync()
    variant = till.variant(stocked["variant"])
    order = till.vendor.place_order(stocked["variant"], "5")
    till.sync()
    oid = till.scalar("SELECT id FROM orders WHERE remote_id = ?", order["id"])
    OrderService(till.db).act(oid, "accept", {"prep_minutes": 5})
    sell(till, variant, 8)  # offline, the counter sells what the order holds
    till.sync()
    till.sync()
    kinds = {r[0] for r in till.rows("SELECT kind FROM sync_issues WHERE resolved_at IS NULL")}
    assert "oversell" in kinds


def rename_locally(till: Till, remote_product: str, name: str) -> str:
    import dataclasses

    from vendor_console.services.catalog import CatalogService

    product_id = str(till.scalar("SELECT id FROM products WHERE remote_id = ?", remote_product))
    catalog = CatalogService(till.db)
    draft = catalog.get_product(product_id).to_draft()
    catalog.update_product(till.shop.owner, product_id, dataclasses.replace(draft, name=name))
    return product_id


def dashboard_patch(stocked: dict[str, Any], **fields: Any) -> None:
    import uuid

    api = stocked["api"]
    doc = api.get(f"/products/{stocked['product']['id']}").json()
    r = api.patch(f"/products/{doc['id']}", json=fields,
                  headers={"If-Match": f'"{doc["version"]}"', "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 200, r.text


def test_a_version_mismatch_is_merged_field_by_field(till: Till,
                                                     stocked: dict[str, Any]) -> None:
    till.sync()
    product_id = rename_locally(till, stocked["product"]["id"], "Rye loaf")  # offline
    dashboard_patch(stocked, description="Baked at dawn")  # another field, on the server
    faults = FaultTransport()
    faults.add("concurrent_edit", "PATCH", "/products/", times=1)  # and one more bump
    result = till.sync(faults)
    assert result.pending == 0 and result.dead_letters == 0
    doc = stocked["api"].get(f"/products/{stocked['product']['id']}").json()
    assert (doc["name"], doc["description"]) == ("Rye loaf", "Baked at dawn")
    assert next(s for m, p, s in faults.seen if m == "PATCH") == 412
    assert till.rows("SELECT name, description FROM products WHERE id = ?", product_id) == \
        [("Rye loaf", "Baked at dawn")]
    assert till.scalar("SELECT COUNT(*) FROM sync_issues") == 0


def test_a_true_conflict_is_recorded_for_the_user(till: Till, stocked: dict[str, Any]) -> None:
    till.sync()
    product_id = rename_locally(till, stocked["product"]["id"], "Rye loaf")
    dashboard_patch(stocked, name="Spelt loaf")
    till.sync()
    issues = service(till).issues()
    assert [i.kind for i in issues] == ["conflict"]
    assert issues[0].details["fields"]["name"]["mine"] == "Rye loaf"
    assert issues[0].details["fields"]["name"]["theirs"] == "Spelt loaf"
    # Until the user chooses, the server's value stands on both sides.
    assert till.scalar("SELECT name FROM products WHERE id = ?", product_id) == "Spelt loaf"


def test_merge_rules() -> None:
    from sync.catalog_push import merge

    resend, conflicts = merge({"name": "Rye"}, {"name": "Sourdough", "description": None},
                              {"name": "Sourdough", "description": "From the dashboard"})
    assert resend == {"name": "Rye"} and conflicts == {}
    resend, conflicts = merge({"name": "Rye"}, {"name": "Sourdough"}, {"name": "Rye"})
    assert resend == {} and conflicts == {}
    resend, conflicts = merge({"name": "Rye"}, {"name": "Sourdough"}, {"name": "Spelt"})
    assert resend == {} and conflicts["name"]["theirs"] == "Spelt"


def test_a_product_created_offline_is_created_once_and_sells(till: Till,
                                                            stocked: dict[str, Any]) -> None:
    from vendor_console.services.catalog import CatalogService
    from vendor_console.services.catalog_validation import ProductDraft, VariantDraft

    till.sync()
    record = CatalogService(till.db).create_product(till.shop.owner, ProductDraft(
        name="Fig jam", variants=[VariantDraft(price=450, sku="FIG-1")]))
    variant = record.variants[0].id
    InventoryService(till.db).receive(till.shop.owner, variant, 6 * QTY_SCALE)
    sell(till, variant, 2)
    faults = FaultTransport()
    faults.add("commit_then_500", "POST", "/products", times=1)
    result = till.sync(faults)
    assert result.pending == 0 and result.dead_letters == 0
    remote = till.scalar("SELECT remote_id FROM variants WHERE id = ?", variant)
    products = stocked["api"].get("/products", params={"client_ref": record.id}).json()["data"]
    assert len(products) == 1 and products[0]["variants"][0]["id"] == remote
    assert server_on_hand(stocked["api"], remote) == "4"
