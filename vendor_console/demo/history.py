"""Ninety days of trading for the demo shop, generated in memory and written in bulk.

Per trading day: restock shelves that ran low, open a shift, ring up the day's counter sales
(weekly and hourly patterns, cash/card mix, now and then a refund), take the day's
marketplace orders, bake what was sold plus a little extra (the leftovers are written off at
closing), and close the shift with a cash count. Stock is a ledger: every change is a
movement, and the levels are their sums.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from vendor_console.demo.catalog import SellableVariant
from vendor_console.demo.ledger import BusinessDay, Ledger, business_days
from vendor_console.demo.orders import (
    ORDER_KINDS,
    OrderBook,
    add_order,
    current_queue,
    final_status,
    order_lines,
)
from vendor_console.demo.sales import (
    BASE_SALES,
    BASKET_SIZES,
    KIND_WEIGHTS,
    OPENING_FLOAT,
    Counter,
    Picker,
    close_shift,
    open_shift,
    quantity_for,
    sale_times,
    write_sale,
)
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.receipt_numbers import format_receipt_number

ORDERS_PER_DAY = {1: 5, 2: 6, 3: 7, 4: 10, 5: 12, 6: 8}


@dataclass(frozen=True, slots=True)
class Staffing:
    owner: str
    manager: str
    cashier: str


@dataclass(slots=True)
class History:
    tables: dict[str, list[dict[str, Any]]]
    counters: dict[str, int]
    refunds: list[dict[str, Any]]  # for the audit log, oldest first
    trading_days: int


def initial_stock(variant: SellableVariant, rng: random.Random) -> int:
    if variant.unit == "kg":
        return rng.randrange(6, 12) * QTY_SCALE
    if variant.unit == "g":
        return rng.randrange(2000, 4000, 250) * QTY_SCALE
    return rng.randrange(24, 48) * QTY_SCALE if variant.kind == "shelf" else \
        rng.randrange(4, 16) * QTY_SCALE


def generate(
    sellable: list[SellableVariant], *, counter: Counter, book: OrderBook, ledger: Ledger,
    staffing: Staffing, days: int, now: datetime, tz: ZoneInfo, rng: random.Random,
) -> History:
    sim = _Shop(sellable, counter, book, ledger=ledger, staffing=staffing, tz=tz, rng=rng)
    trading = business_days(now.astimezone(tz).date(), days, tz)
    start = (trading[0].opens if trading else now) - timedelta(days=1)
    for v in sim.tracked:
        ledger.move(v.id, sim.stocked[v.id], "received", start, staff_id=staffing.owner,
                    note="Opening stock")
    for day in trading:
        sim.trade(day)
    # This morning's bake, so the demo can sell bread today.
    bake_at = min(now - timedelta(minutes=5),
                  datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tz)
                  + timedelta(hours=6, minutes=30))
    for v in sim.baked:
        if v.position == 0 or rng.random() < 0.5:
            ledger.move(v.id, rng.randrange(4, 14) * QTY_SCALE, "produced", bake_at,
                        staff_id=staffing.owner)
    current_queue(book, rng, now, lambda: sim.order_picker.pick(rng, ORDER_KINDS))
    _number_receipts_in_time_order(counter)
    tables = {**counter.rows, **book.rows, "stock_movements": ledger.rows,
              "stock_levels": ledger.level_rows()}
    return History(tables, {"receipt": counter.receipts, "shift": counter.shifts},
                   _refund_audit(counter.rows), len(trading))


Basket = list[tuple[SellableVariant, int]]


class _Shop:
    """The simulation state while trading day after day."""

    def __init__(self, sellable: list[SellableVariant], counter: Counter, book: OrderBook, *,
                 ledger: Ledger, staffing: Staffing, tz: ZoneInfo, rng: random.Random) -> None:
        self.counter, self.book, self.ledger, self.staffing = counter, book, ledger, staffing
        self.tz, self.rng = tz, rng
        self.tracked = [v for v in sellable if v.track_inventory and v.kind != "baked"]
        self.baked = [v for v in sellable if v.kind == "baked"]
        self.stocked = {v.id: initial_stock(v, rng) for v in self.tracked}
        self.picker = Picker.from_catalog(sellable, KIND_WEIGHTS)
        self.order_picker = Picker.from_catalog(sellable, ORDER_KINDS)
        self.baked_sold: dict[str, int] = {}

    def trade(self, day: BusinessDay) -> None:
        rng, ledger = self.rng, self.ledger
        morning = day.opens - timedelta(minutes=50)
        for v in self.tracked:  # a delivery from the workshop for anything running low
            if ledger.levels[v.id] < self.stocked[v.id] // 4:
                ledger.move(v.id, self.stocked[v.id] - ledger.levels[v.id], "received",
                            morning, staff_id=self.staffing.manager)
        opener = self.staffing.manager if rng.random() < 0.6 else self.staffing.owner
        shift_id, _, closed_at = open_shift(self.counter, day, opener)
        self.baked_sold = {}
        drawer = OPENING_FLOAT + self._counter_sales(day, shift_id)
        self._orders(day)
        self._bake(day)
        close_shift(self.counter, shift_id, closed_by=self.staffing.manager, at=closed_at,
                    drawer=drawer, rng=rng)

    def _take(self, v: SellableVariant, qty: int, reason: str, *, at: datetime,
              reference: tuple[str, str], staff_id: str | None) -> None:
        if v.kind == "baked":
            self.baked_sold[v.id] = self.baked_sold.get(v.id, 0) + qty
        if v.track_inventory:
            self.ledger.move(v.id, -qty, reason, at, staff_id=staff_id, reference=reference)

    def _basket(self) -> Basket:
        basket: dict[str, tuple[SellableVariant, int]] = {}
        for _ in range(self.rng.choices(*BASKET_SIZES)[0]):
            v = self.picker.pick(self.rng, KIND_WEIGHTS)
            qty = quantity_for(v, self.rng)
            if v.id in basket or (v.id in self.stocked and self.ledger.levels[v.id] < qty):
                continue  # sold out on the shelf: the customer takes something else
            basket[v.id] = (v, qty)
        return list(basket.values())

    def _counter_sales(self, day: BusinessDay, shift_id: str) -> int:
        """The day's sales (and maybe a refund); returns the net cash into the drawer."""
        rng, staffing = self.rng, self.staffing
        drawer = 0
        count = max(30, min(80, round(BASE_SALES[day.weekday] * rng.uniform(0.85, 1.15))))
        done: list[tuple[str, datetime, Basket, list[str], bool]] = []
        for at in sale_times(day, count, rng, self.tz):
            lines = self._basket()
            if not lines:
                continue
            cash = rng.random() < 0.33
            staff = rng.choices([staffing.cashier, staffing.manager, staffing.owner],
                                weights=[60, 30, 10])[0]
            first_line = len(self.counter.rows["sale_lines"])
            sale_id, signed = write_sale(self.counter, rng, shift_id=shift_id, staff_id=staff,
                                         at=at, lines=lines, cash=cash)
            drawer += signed
            line_ids = [r["id"] for r in self.counter.rows["sale_lines"][first_line:]]
            done.append((sale_id, at, lines, line_ids, cash))
            for v, qty in lines:
                self._take(v, qty, "sold_pos", at=at, reference=("sale", sale_id),
                           staff_id=staff)
        if done and rng.random() < 0.2:  # a refund later the same day
            sale_id, at, lines, line_ids, cash = rng.choice(done)
            when = min(at + timedelta(minutes=rng.uniform(10, 120)), day.closes)
            v, qty = lines[0]
            refund_id, signed = write_sale(
                self.counter, rng, shift_id=shift_id, staff_id=staffing.manager, at=when,
                lines=[(v, qty)], cash=cash, refund_of=(sale_id, line_ids[:1]),
            )
            drawer += signed
            if v.track_inventory and v.kind != "baked":
                self.ledger.move(v.id, qty, "returned", when, staff_id=staffing.manager,
                                 reference=("sale", refund_id))
        return drawer

    def _orders(self, day: BusinessDay) -> None:
        rng = self.rng
        for _ in range(max(1, round(ORDERS_PER_DAY[day.weekday] * rng.uniform(0.6, 1.4)))):
            placed = day.opens + (day.closes - day.opens - timedelta(hours=2)) * rng.random()
            final, reason = final_status(rng)
            lines = order_lines(rng, lambda: self.order_picker.pick(rng, ORDER_KINDS))
            if any(v.id in self.stocked and self.ledger.levels[v.id] < q for v, q in lines):
                final, reason = "CANCELLED", "ITEM_UNAVAILABLE"
            order_id, completed = add_order(self.book, rng, placed, lines, final=final,
                                            reason=reason, delivery=rng.random() < 0.1)
            if completed is not None:
                for v, qty in lines:
                    self._take(v, qty, "order_fulfilled", at=completed,
                               reference=("order", order_id), staff_id=None)

    def _bake(self, day: BusinessDay) -> None:
        """Bake the day's sales plus a few spare; the spares are written off after closing."""
        early = day.opens - timedelta(hours=2)
        for v in self.baked:
            spare = self.rng.randrange(0, 5) * QTY_SCALE if v.position == 0 else 0
            made = self.baked_sold.get(v.id, 0) + spare
            if made:
                self.ledger.move(v.id, made, "produced", early, staff_id=self.staffing.owner)
            if spare:
                self.ledger.move(v.id, -spare, "expired", day.closes + timedelta(minutes=10),
                                 staff_id=self.staffing.manager,
                                 note="Left over at closing, donated")


def _number_receipts_in_time_order(counter: Counter) -> None:
    counter.rows["sales"].sort(key=lambda s: s["completed_at"])
    for n, sale in enumerate(counter.rows["sales"], start=1):
        sale["receipt_number"] = format_receipt_number(counter.device_prefix, n)


def _refund_audit(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [
        {"at": s["completed_at"], "staff_id": s["staff_id"], "entity_id": s["id"],
         "details": {"original_sale_id": s["original_sale_id"], "total": s["total"],
                     "receipt_number": s["receipt_number"]}}
        for s in rows["sales"] if s["kind"] == "REFUND"
    ]
