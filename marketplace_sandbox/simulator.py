"""The customer simulator: `marketplace-sandbox simulate --orders-per-minute N`.

It plays the marketplace's customers against a server started with `serve --test-mode`:
places orders (pickup and delivery, some scheduled, with notes and dietary requests) at
Poisson-distributed times, sometimes cancels before the vendor accepts, and reviews some
completed orders. Traffic goes through the test-mode customer routes (`/_test/…`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

NAMES = ("Ana P.", "Ben T.", "Chloé R.", "Dev S.", "Eilidh M.", "Femi A.", "Grace L.",
         "Hamza K.", "Isla W.", "Jonas B.", "Keiko N.", "Luca D.")
NOTES = ("no nuts please", "extra crispy if possible", "it's a birthday present!",
         "please slice the loaf", "vegan please — no butter glaze", "gluten-free if you can",
         "ring the bell twice", "I'm running 5 minutes late", "dairy-free please")
REVIEWS = {5: "Wonderful, as always.", 4: "Very good, a little late.",
           3: "Fine, but the bun was squashed.", 2: "Cold when it arrived.",
           1: "Order was wrong."}


@dataclass
class Placed:
    order_id: str
    cancel_at: float | None
    reviewed: bool = False


@dataclass
class Simulator:
    client: httpx.Client  # base_url = server root
    vendor_id: str
    rng: random.Random = field(default_factory=random.Random)
    cancel_share: float = 0.1
    review_share: float = 0.5
    placed: list[Placed] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {
        "orders": 0, "cancelled": 0, "reviews": 0, "refused": 0})

    def menu(self) -> list[dict[str, Any]]:
        r = self.client.get(f"/_test/vendors/{self.vendor_id}/menu")
        r.raise_for_status()
        data: list[dict[str, Any]] = r.json()["data"]
        return data

    def order_body(self, menu: list[dict[str, Any]]) -> dict[str, Any]:
        rng = self.rng
        lines = []
        for product in rng.sample(menu, k=min(len(menu), rng.choice((1, 1, 2, 2, 3, 4)))):
            variant = rng.choice(product["variants"])
            precision = int(variant["precision"])
            quantity = (str(rng.choice((1, 1, 1, 2, 3))) if precision == 0
                        else f"{rng.choice((0.25, 0.5, 1.0)):.{precision}f}")
            lines.append({"variant_id": variant["variant_id"], "quantity": quantity})
        body: dict[str, Any] = {
            "vendor_id": self.vendor_id, "lines": lines,
            "fulfillment_type": "DELIVERY" if rng.random() < 0.3 else "PICKUP",
            "customer_name": rng.choice(NAMES),
        }
        if rng.random() < 0.4:
            body["note"] = rng.choice(NOTES)
        if rng.random() < 0.15:
            later = datetime.now(UTC) + timedelta(minutes=rng.randint(60, 240))
            body["scheduled_for"] = later.isoformat().replace("+00:00", "Z")
        return body

    def place_one(self, menu: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
        menu = menu if menu is not None else self.menu()
        if not menu:
            return None
        r = self.client.post("/_test/orders", json=self.order_body(menu))
        if r.status_code != 201:  # paused store, sold out: a customer gives up
            self.counts["refused"] += 1
            return None
        order: dict[str, Any] = r.json()
        cancel_at = (time.monotonic() + self.rng.uniform(5, 60)
                     if self.rng.random() < self.cancel_share else None)
        self.placed.append(Placed(order["id"], cancel_at))
        self.counts["orders"] += 1
        return order

    def follow_up(self, now: float | None = None) -> None:
        """Cancel orders whose customer lost patience; review some completed ones."""
        now = time.monotonic() if now is None else now
        for placed in self.placed:
            if placed.cancel_at is not None and placed.cancel_at <= now:
                placed.cancel_at = None
                r = self.client.post(f"/_test/vendors/{self.vendor_id}/orders/"
                                     f"{placed.order_id}/customer-cancel")
                if r.status_code == 200:
                    self.counts["cancelled"] += 1
            if placed.reviewed:
                continue
            r = self.client.get(f"/_test/vendors/{self.vendor_id}/orders/{placed.order_id}")
            status = r.json().get("status") if r.status_code == 200 else None
            if status in ("COMPLETED", "CANCELLED"):
                placed.reviewed = True
                if status == "COMPLETED" and self.rng.random() < self.review_share:
                    self.review(placed.order_id)
        self.placed = [p for p in self.placed if not p.reviewed or p.cancel_at is not None]

    def review(self, order_id: str) -> None:
        rating = self.rng.choices((5, 4, 3, 2, 1), weights=(50, 30, 10, 6, 4))[0]
        r = self.client.post("/_test/reviews", json={
            "vendor_id": self.vendor_id, "order_id": order_id, "rating": rating,
            "text": REVIEWS[rating], "customer_name": self.rng.choice(NAMES)})
        if r.status_code == 201:
            self.counts["reviews"] += 1

    def run(self, orders_per_minute: float, duration: float | None = None,
            sleep: Callable[[float], None] = time.sleep,
            report: Callable[[str], None] | None = None) -> None:
        started = time.monotonic()
        while duration is None or time.monotonic() - started < duration:
            sleep(self.rng.expovariate(orders_per_minute / 60.0))
            order = self.place_one()
            self.follow_up()
            if order is not None and report is not None:
                report(f"{order['number']} {order['fulfillment']['type'].lower()} "
                       f"{len(order['line_items'])} line(s), total "
                       f"{order['totals']['total']['amount'] / 100:.2f} "
                       f"{order['totals']['total']['currency']}")


def pick_vendor(client: httpx.Client, vendor_id: str | None) -> str:
    if vendor_id:
        return vendor_id
    r = client.get("/_test/vendors")
    if r.status_code == 404:
        raise SystemExit("the server is not in test mode: start it with `serve --test-mode`")
    r.raise_for_status()
    vendors = r.json()["data"]
    if not vendors:
        raise SystemExit("no vendor on the server: run `marketplace-sandbox seed --demo`")
    demo = [v for v in vendors if v["name"] == "Hazel & Rye"]
    return str((demo or vendors)[-1]["id"])
