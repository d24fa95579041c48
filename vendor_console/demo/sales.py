"""Counter history for the demo: shifts, sales, a few refunds, their tenders, taxes and cash.

Everything follows the rules the checkout and shift services enforce: every sale falls inside
an open shift, line totals are ``line_amount(price, qty)`` with the tax inside the price,
``total`` = sum of line totals + cash rounding, receipt numbers are consecutive and unique,
and every cash tender is a signed cash movement of its shift.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from local_db.types import format_utc
from vendor_console.demo.catalog import SellableVariant
from vendor_console.demo.ledger import HOUR_WEIGHTS, BusinessDay
from vendor_console.ids import new_id
from vendor_console.money import cash_round, line_amount, tax_from_inclusive
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.receipt_numbers import format_receipt_number

OPENING_FLOAT = 15_000
BASE_SALES = {1: 38, 2: 42, 3: 48, 4: 58, 5: 76, 6: 62}  # by weekday
BASKET_SIZES = ([1, 2, 3, 4, 5], [34, 36, 18, 8, 4])
KIND_WEIGHTS = {"drink": 30, "baked": 52, "shelf": 9, "craft": 9}


@dataclass
class Counter:
    """Rows being generated, plus the document numbers handed out so far."""

    currency: str
    location_id: str
    device_prefix: str
    cash_step: int
    tax_bp: dict[str, int]
    receipts: int = 0
    shifts: int = 0
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True, slots=True)
class Picker:
    """Weighted choice of what customers buy, per kind of product."""

    by_kind: dict[str, tuple[list[SellableVariant], list[float]]]

    @classmethod
    def from_catalog(cls, sellable: list[SellableVariant], kinds: dict[str, int]) -> Picker:
        groups: dict[str, tuple[list[SellableVariant], list[float]]] = {}
        for kind in kinds:
            items = [v for v in sellable if v.kind == kind]
            groups[kind] = (items, [v.popularity for v in items])
        return cls(groups)

    def pick(self, rng: random.Random, kinds: dict[str, int]) -> SellableVariant:
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        items, weights = self.by_kind[kind]
        return rng.choices(items, weights=weights)[0]


def quantity_for(variant: SellableVariant, rng: random.Random) -> int:
    if variant.unit == "kg":
        return rng.choice([250, 250, 500, 1000])
    if variant.unit == "g":
        return rng.choice([50, 100, 100, 200]) * QTY_SCALE
    return rng.choices([1, 2, 3], weights=[80, 15, 5])[0] * QTY_SCALE


def sale_times(day: BusinessDay, count: int, rng: random.Random, tz: Any) -> list[datetime]:
    """``count`` moments inside opening hours, busier at breakfast and lunch."""
    span = (day.closes - day.opens).total_seconds()
    weights = []
    for second in range(0, int(span), 600):
        hour = (day.opens + timedelta(seconds=second)).astimezone(tz).hour
        weights.append(HOUR_WEIGHTS.get(hour, 0.5))
    slots = rng.choices(range(len(weights)), weights=weights, k=count)
    return sorted(day.opens + timedelta(seconds=s * 600 + rng.uniform(0, 599)) for s in slots)


def open_shift(c: Counter, day: BusinessDay, opened_by: str) -> tuple[str, datetime, datetime]:
    c.shifts += 1
    shift_id = new_id()
    opened_at = day.opens - timedelta(minutes=15)
    closed_at = day.closes + timedelta(minutes=20)
    c.rows["shifts"].append({
        "id": shift_id, "number": c.shifts, "location_id": c.location_id,
        "opened_by": opened_by, "opened_at": format_utc(opened_at),
        "opening_float": OPENING_FLOAT, "closed_by": None, "closed_at": None,
        "expected_cash": None, "counted_cash": None,
    })
    _cash(c, shift_id, "FLOAT", OPENING_FLOAT, staff_id=opened_by, at=opened_at, sale_id=None,
          reason="Opening float")
    return shift_id, opened_at, closed_at


def close_shift(c: Counter, shift_id: str, *, closed_by: str, at: datetime, drawer: int,
                rng: random.Random) -> None:
    shift = c.rows["shifts"][-1]
    assert shift["id"] == shift_id
    shift.update(closed_by=closed_by, closed_at=format_utc(at), expected_cash=drawer,
                 counted_cash=drawer + rng.choice([0, 0, 0, 0, 0, -5, 5, -10, 20]))


def _cash(c: Counter, shift_id: str, kind: str, amount: int, *, staff_id: str, at: datetime,
          sale_id: str | None, reason: str | None = None) -> None:
    c.rows["cash_movements"].append({
        "id": new_id(), "shift_id": shift_id, "kind": kind, "amount": amount, "reason": reason,
        "sale_id": sale_id, "staff_id": staff_id, "occurred_at": format_utc(at),
    })


def write_sale(
    c: Counter, rng: random.Random, *, shift_id: str, staff_id: str, at: datetime,
    lines: list[tuple[SellableVariant, int]], cash: bool,
    refund_of: tuple[str, list[str]] | None = None, approved_by: str | None = None,
) -> tuple[str, int]:
    """One sale or refund document; returns (sale id, signed cash into the drawer)."""
    sale_id = new_id()
    c.receipts += 1
    stamp = format_utc(at)
    kind = "REFUND" if refund_of else "SALE"
    taxes: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    subtotal = tax_total = 0
    for line_no, (variant, qty) in enumerate(lines, start=1):
        bp = c.tax_bp[variant.tax_code]
        total = line_amount(variant.price, qty)
        tax = tax_from_inclusive(total, bp)
        subtotal += total
        tax_total += tax
        taxes[bp][0] += total - tax
        taxes[bp][1] += tax
        c.rows["sale_lines"].append({
            "id": new_id(), "sale_id": sale_id, "line_no": line_no, "variant_id": variant.id,
            "original_line_id": refund_of[1][line_no - 1] if refund_of else None,
            "name": variant.name, "sku": variant.sku, "unit": variant.unit, "quantity": qty,
            "unit_price": variant.price, "list_price": variant.price, "discount": 0,
            "tax_rate_bp": bp, "tax_amount": tax, "total": total, "note": None,
        })
    total = cash_round(subtotal, c.cash_step) if cash else subtotal
    c.rows["sales"].append({
        "id": sale_id, "receipt_number": format_receipt_number(c.device_prefix, c.receipts),
        "kind": kind, "original_sale_id": refund_of[0] if refund_of else None,
        "shift_id": shift_id, "staff_id": staff_id, "location_id": c.location_id,
        "currency": c.currency, "prices_include_tax": True, "subtotal": subtotal,
        "discount_total": 0, "tax_total": tax_total, "rounding": total - subtotal,
        "total": total, "note": None, "approved_by": approved_by, "completed_at": stamp,
        "remote_id": f"sale_{sale_id.replace('-', '')[-16:]}", "version": 1,
    })
    for bp, (taxable, tax) in taxes.items():
        c.rows["sale_taxes"].append({"sale_id": sale_id, "rate_bp": bp, "taxable": taxable,
                                     "tax": tax})
    tendered = total
    if cash and kind == "SALE" and rng.random() < 0.7:
        tendered = next(n for n in (500, 1000, 2000, 5000, 10_000, 10**9) if n >= total)
    c.rows["sale_tenders"].append({
        "id": new_id(), "sale_id": sale_id, "kind": "CASH" if cash else "CARD",
        "amount": total, "tendered": tendered, "change": tendered - total,
        "reference": None if cash else f"AUTH{rng.randrange(10**6):06d}",
    })
    signed = 0
    if cash:
        signed = -total if refund_of else total
        _cash(c, shift_id, "REFUND" if refund_of else "SALE", signed, staff_id=staff_id, at=at,
              sale_id=sale_id)
    return sale_id, signed
