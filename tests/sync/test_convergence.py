"""Hypothesis state machine: random interleavings of offline counter sales and stock edits,
online orders and cancellations, order actions, and syncs under injected faults. After a last
clean sync the till and the marketplace agree exactly: every sale once, every order's state,
every variant's stock."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from local_db.database import Database
from tests.conftest import ShopFixture
from tests.sandbox.conftest import Sandbox, key
from tests.sync.conftest import pair
from tests.sync.faults import FaultTransport
from tests.sync.helpers import sell, server_sales
from vendor_console.errors import DomainError
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.inventory import InventoryService
from vendor_console.services.orders import OrderService
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService

FAULTS = ("commit_then_500", "rate_limit=1", "overload=1", "partial_batch", "schema_drift",
          "token_expiry")
NEXT = {"PENDING": "accept", "CONFIRMED": "mark-ready", "READY": "complete"}


class Convergence(RuleBasedStateMachine):
    sandbox: Sandbox

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        vendor = self.sandbox.new_vendor()
        api = vendor.client()
        self.remote: list[str] = []
        for n in range(2):
            r = api.post("/products", headers=key(), json={
                "name": f"Item {n}", "client_ref": str(uuid.uuid4()), "variants": [{
                    "name": "One", "price": {"amount": 500, "currency": "EUR"},
                    "track_inventory": True, "inventory_policy": "CONTINUE"}]})
            self.remote.append(r.json()["variants"][0]["id"])
        api.post("/inventory/changes", headers=key(), json={"changes": [
            {"type": "PHYSICAL_COUNT", "client_change_id": str(uuid.uuid4()), "variant_id": v,
             "location_id": vendor.location_id, "quantity": "50",
             "occurred_at": "2026-01-01T00:00:00Z"} for v in self.remote]})
        self.db = Database.open(Path(self.tmp.name) / "till.db")
        info = create_shop(self.db, ShopDraft(name="Prop", currency="EUR"))
        owner = StaffService(self.db).add_staff(None, "Olive", "owner", "1111")
        self.till = pair(ShopFixture(self.db, info.id, info.default_location_id, {}, owner,
                                     owner, owner), vendor)
        self.api = api
        self.till.sync()
        self.variants = [self.till.variant(v) for v in self.remote]

    def teardown(self) -> None:
        try:
            self.till.sync()
            self.till.sync()
            self.check_agreement()
        finally:
            self.db.close()
            self.tmp.cleanup()

    @rule(which=st.integers(0, 1), qty=st.integers(1, 3))
    def counter_sale(self, which: int, qty: int) -> None:
        sell(self.till, self.variants[which], qty)

    @rule(which=st.integers(0, 1), delta=st.sampled_from([3, -1, 2]))
    def stock_edit(self, which: int, delta: int) -> None:
        inventory = InventoryService(self.db)
        owner = self.till.shop.owner
        if delta > 0:
            inventory.receive(owner, self.variants[which], delta * QTY_SCALE)
        else:
            inventory.adjust(owner, self.variants[which], delta * QTY_SCALE, "damaged")

    @rule(which=st.integers(0, 1))
    def online_order(self, which: int) -> None:
        self.till.vendor.place_order(self.remote[which])

    @rule(pick=st.integers(0, 20))
    def customer_cancels(self, pick: int) -> None:
        orders = self.api.get("/orders", params={"status": "PENDING"}).json()["data"]
        if orders:
            order = orders[pick % len(orders)]
            self.till.vendor.server.http.post(
                f"/_test/vendors/{self.till.vendor.vendor_id}/orders/{order['id']}/"
                "customer-cancel")

    @rule(pick=st.integers(0, 20))
    def order_action(self, pick: int) -> None:
        rows = self.till.rows("SELECT id, status FROM orders WHERE status IN "
                              "('PENDING', 'CONFIRMED', 'READY') AND fulfillment_type = 'PICKUP'")
        if not rows:
            return
        order_id, status = rows[pick % len(rows)]
        with contextlib.suppress(DomainError):
            OrderService(self.db).act(order_id, NEXT[status], {"prep_minutes": 5}
                                      if status == "PENDING" else {})

    @rule(fault=st.sampled_from(FAULTS), times=st.integers(1, 3))
    def sync_with_fault(self, fault: str, times: int) -> None:
        faults = FaultTransport()
        faults.add(fault, times=times)
        self.till.sync(faults)

    @rule()
    def sync(self) -> None:
        self.till.sync()

    @invariant()
    def local_stock_is_the_ledger_on_top_of_the_server(self) -> None:
        rows = self.till.rows(
            "SELECT l.on_hand, l.server_on_hand, (SELECT COALESCE(SUM(delta), 0) FROM "
            "stock_movements m WHERE m.variant_id = l.variant_id AND m.acknowledged_at IS NULL) "
            "FROM stock_levels l")
        for on_hand, server, pending in rows:
            if server is not None:
                assert on_hand == server + pending

    def check_agreement(self) -> None:
        assert self.till.scalar("SELECT COUNT(*) FROM outbox WHERE status IN "
                                "('PENDING', 'DEAD')") == 0
        local_sales = {r[0] for r in self.till.rows("SELECT id FROM sales")}
        server = Counter(s["sale_id"] for s in server_sales(self.api))
        assert set(server) == local_sales and all(n == 1 for n in server.values())
        for remote in self.remote:
            level = self.api.get("/inventory/levels", params={"variant_id": remote}).json()
            server_on_hand = int(float(level["data"][0]["on_hand"]) * QTY_SCALE)
            local = self.till.scalar("SELECT on_hand FROM stock_levels l JOIN variants v ON "
                                     "v.id = l.variant_id WHERE v.remote_id = ?", remote)
            assert local == server_on_hand
        orders = {o["id"]: o["status"] for o in self.api.get("/orders", params={
            "limit": 500}).json()["data"]}
        local = dict(self.till.rows("SELECT remote_id, status FROM orders"))
        assert local == orders


@pytest.mark.timeout(600)
def test_till_and_marketplace_converge(sandbox: Sandbox) -> None:
    Convergence.sandbox = sandbox
    run_state_machine_as_test(Convergence, settings=settings(
        max_examples=4, stateful_step_count=10, deadline=None,
        suppress_health_check=list(HealthCheck)))

