"""The customer simulator drives real orders, cancellations and reviews."""

from __future__ import annotations

import random

import httpx
import pytest

from marketplace_sandbox.simulator import Simulator, pick_vendor
from tests.sandbox.conftest import Sandbox, key
from tests.sandbox.test_api import feed_after, head


def test_simulated_customers(sandbox: Sandbox) -> None:
    vendor = sandbox.new_vendor(name="Sim Bakery")
    api = vendor.client()
    for name, precision in (("Loaf", 0), ("Coffee beans", 3)):
        r = api.post("/products", headers=key(), json={
            "name": name, "dietary_tags": ["vegan"],
            "variants": [{"price": {"amount": 500, "currency": "EUR"},
                          "precision": precision, "unit": "kg" if precision else "each"}]})
        assert r.status_code == 201
    cursor = head(api)
    sim = Simulator(sandbox.http, pick_vendor(sandbox.http, vendor.vendor_id),
                    random.Random(7), cancel_share=0.5, review_share=1.0)
    menu = sim.menu()
    orders = [sim.place_one(menu) for _ in range(12)]
    assert all(o is not None for o in orders) and sim.counts["orders"] == 12
    kinds = {o["fulfillment"]["type"] for o in orders if o}
    assert kinds == {"PICKUP", "DELIVERY"}
    # Complete one order as the vendor; the simulator's customers then cancel and review.
    first = orders[0]
    assert first is not None
    for action, body in (("accept", {"prep_minutes": 1}), ("mark-ready", {})):
        assert api.post(f"/orders/{first['id']}/{action}", headers=key(),
                        json=body).status_code == 200
    final = "complete" if first["fulfillment"]["type"] == "PICKUP" else "dispatch"
    api.post(f"/orders/{first['id']}/{final}", headers=key(), json={})
    if final == "dispatch":
        api.post(f"/orders/{first['id']}/complete", headers=key(), json={})
    sim.follow_up(now=float("inf"))
    assert sim.counts["cancelled"] >= 1 and sim.counts["reviews"] == 1
    types = {c["type"] for c in feed_after(api, cursor, limit=1000)["data"]}
    assert {"order.created", "order.status_changed", "review.created"} <= types


def test_pick_vendor_needs_test_mode() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404))
    with (httpx.Client(transport=transport, base_url="http://127.0.0.1:1") as client,
          pytest.raises(SystemExit, match="test mode")):
        pick_vendor(client, None)
