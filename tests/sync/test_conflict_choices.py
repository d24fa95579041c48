"""A true catalog conflict, settled either way through the service the Sync page calls:
"keep this till's value" sends it again on the marketplace's current version; "take the
marketplace's value" keeps the marketplace's value on the till and drops the local edit."""

from __future__ import annotations

from typing import Any

import orjson

from tests.sync.conftest import Till
from tests.sync.faults import FaultTransport
from tests.sync.test_dead_letters_and_stock import dashboard_patch, rename_locally, service
from tests.sync.test_variant_merge import dashboard_variant_patch, reprice_locally


def conflicted(till: Till, stocked: dict[str, Any]) -> tuple[str, str]:
    """(local product id, issue id) after the same name was changed on both sides."""
    till.sync()
    product_id = rename_locally(till, stocked["product"]["id"], "Rye loaf")
    dashboard_patch(stocked, name="Spelt loaf")
    till.sync()
    issues = service(till).issues()
    assert [i.kind for i in issues] == ["conflict"]
    return product_id, issues[0].id


def server_product(stocked: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = stocked["api"].get(f"/products/{stocked['product']['id']}").json()
    return doc


def test_keep_this_tills_value_resends_on_the_servers_current_version(
        till: Till, stocked: dict[str, Any]) -> None:
    product_id, issue = conflicted(till, stocked)
    version = server_product(stocked)["version"]
    service(till).keep_mine(till.shop.owner, issue)
    queued = till.rows("SELECT payload FROM outbox WHERE resource_type = 'product' AND "
                       "status = 'PENDING'")
    assert [orjson.loads(p)["base_version"] for (p,) in queued] == [version]
    faults = FaultTransport()
    result = till.sync(faults)
    assert result.pending == 0 and result.dead_letters == 0
    assert [s for m, _p, s in faults.seen if m == "PATCH"] == [200]  # no 412: a clean base
    assert server_product(stocked)["name"] == "Rye loaf"
    assert till.scalar("SELECT name FROM products WHERE id = ?", product_id) == "Rye loaf"
    assert service(till).issues() == []


def test_take_the_marketplaces_value_applies_it_and_drops_the_local_edit(
        till: Till, stocked: dict[str, Any]) -> None:
    product_id, issue = conflicted(till, stocked)
    service(till).resolve_issue(issue)
    assert service(till).issues() == []
    assert till.scalar("SELECT COUNT(*) FROM outbox WHERE resource_type = 'product' AND "
                       "status = 'PENDING'") == 0
    faults = FaultTransport()
    result = till.sync(faults)
    assert result.pending == 0 and result.dead_letters == 0
    assert not [m for m, _p, _s in faults.seen if m == "PATCH"]  # nothing sent again
    assert server_product(stocked)["name"] == "Spelt loaf"
    assert till.scalar("SELECT name FROM products WHERE id = ?", product_id) == "Spelt loaf"


def test_keep_this_tills_value_for_a_variant_field(till: Till,
                                                   stocked: dict[str, Any]) -> None:
    till.sync()
    remote = stocked["variant"]
    variant = till.variant(remote)
    reprice_locally(till, variant, 725)
    dashboard_variant_patch(stocked["api"], remote, price={"amount": 800, "currency": "EUR"},
                            sku="SD-WHOLE")
    till.sync()
    issue = service(till).issues()[0]
    service(till).keep_mine(till.shop.owner, issue.id)
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    doc = stocked["api"].get(f"/variants/{remote}").json()
    assert (doc["price"]["amount"], doc["sku"]) == (725, "SD-WHOLE")
    assert till.rows("SELECT price, sku FROM variants WHERE id = ?", variant) == \
        [(725, "SD-WHOLE")]
    assert service(till).issues() == []
