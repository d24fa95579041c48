"""4. Durable counter-sale commit through CheckoutService vs raw sqlite3 (synchronous=FULL).

Both write a 5-line sale into the same large database: the sale, lines, tax and tender rows,
5 stock movements with their levels, the outbox row and the receipt counter. Runs alternate in
blocks so machine noise hits both alike.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from bench.common import WRITER_PRAGMAS, Report, median, pct, verdict
from local_db.database import Database
from local_db.types import format_utc, utc_now
from vendor_console.ids import new_id, new_idempotency_key
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart, CartLine, Tender
from vendor_console.services.shifts import ShiftService
from vendor_console.services.staff import StaffService

BLOCK = 50


def _raw_sale(conn: sqlite3.Connection, n: int, *, shift_id: str, staff_id: str,
              location_id: str, variants: list[tuple[str, str, int]]) -> None:
    now = format_utc(utc_now())
    sale_id = new_id()
    total = sum(price for _, _, price in variants)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'bench_raw'")
    conn.execute(
        "INSERT INTO sales (id, receipt_number, kind, shift_id, staff_id, location_id, currency,"
        " prices_include_tax, subtotal, discount_total, tax_total, rounding, total,"
        " completed_at) VALUES (?, ?, 'SALE', ?, ?, ?, 'EUR', 1, ?, 0, ?, 0, ?, ?)",
        (sale_id, f"R-{n:07d}", shift_id, staff_id, location_id, total, total // 9, total, now))
    conn.executemany(
        "INSERT INTO sale_lines (id, sale_id, line_no, variant_id, name, sku, unit, quantity,"
        " unit_price, list_price, discount, tax_rate_bp, tax_amount, total)"
        " VALUES (?, ?, ?, ?, ?, NULL, 'pc', 1000, ?, ?, 0, 1350, ?, ?)",
        [(new_id(), sale_id, i + 1, vid, name, price, price, price // 9, price)
         for i, (vid, name, price) in enumerate(variants)])
    conn.execute("INSERT INTO sale_taxes (sale_id, rate_bp, taxable, tax) VALUES (?, 1350, ?, ?)",
                 (sale_id, total - total // 9, total // 9))
    conn.execute("INSERT INTO sale_tenders (id, sale_id, kind, amount, tendered, change)"
                 " VALUES (?, ?, 'CARD', ?, ?, 0)", (new_id(), sale_id, total, total))
    conn.executemany(
        "INSERT INTO stock_movements (id, variant_id, location_id, kind, delta, reason,"
        " reference_type, reference_id, staff_id, occurred_at)"
        " VALUES (?, ?, ?, 'ADJUSTMENT', -1000, 'sold_pos', 'sale', ?, ?, ?)",
        [(new_id(), vid, location_id, sale_id, staff_id, now) for vid, _, _ in variants])
    conn.executemany(
        "INSERT INTO stock_levels (variant_id, location_id, on_hand) VALUES (?, ?, -1000)"
        " ON CONFLICT (variant_id, location_id) DO UPDATE SET on_hand = on_hand - 1000",
        [(vid, location_id) for vid, _, _ in variants])
    conn.execute(
        "INSERT INTO outbox (id, resource_type, resource_id, operation, payload,"
        " idempotency_key, status, attempts, created_at)"
        " VALUES (?, 'sale', ?, 'create', ?, ?, 'PENDING', 0, ?)",
        (new_id(), sale_id, '{"lines": 5}', new_idempotency_key(), now))
    conn.execute("COMMIT")


def run(report: Report, db: Database, path: Path, *, sales: int) -> None:
    print(f"[4] durable sale commit, {sales:,} sales each way", flush=True)
    with db.read() as conn:
        staff_id, location_id = conn.exec_driver_sql(
            "SELECT s.id, l.id FROM staff s, locations l WHERE s.role_code = 'owner'").one()
        stocked = conn.exec_driver_sql(
            "SELECT v.id, p.name, v.price FROM stock_levels l JOIN variants v"
            " ON v.id = l.variant_id JOIN products p ON p.id = v.product_id").all()
    owner = StaffService(db).actor(staff_id)
    shifts = ShiftService(db)
    shift = shifts.current_shift() or shifts.open_shift(owner, 10_000)
    checkout = CheckoutService(db)
    rng = random.Random(5)
    raw = sqlite3.connect(path, isolation_level=None)
    for pragma in WRITER_PRAGMAS:
        raw.execute(pragma)
    raw.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('bench_raw', 0)")
    ours: list[float] = []
    base: list[float] = []
    n = 0
    while len(ours) < sales:
        for _ in range(min(BLOCK, sales - len(ours))):
            picked = rng.sample(stocked, 5)
            cart = Cart(tuple(CartLine(v[0], 1000) for v in picked))
            total = checkout.quote(cart).total
            start = time.perf_counter()
            checkout.complete_sale(owner, cart, [Tender("CARD", total)])
            ours.append(time.perf_counter() - start)
        for _ in range(BLOCK):
            n += 1
            picked = rng.sample(stocked, 5)
            start = time.perf_counter()
            _raw_sale(raw, n, shift_id=shift.id, staff_id=staff_id, location_id=location_id,
                      variants=[(str(v[0]), str(v[1]), int(v[2])) for v in picked])
            base.append(time.perf_counter() - start)
    raw.close()
    p99 = pct(ours, 99) * 1e3
    report.add("4 sale commit", "CheckoutService.complete_sale p50 / p99 (5 lines)",
               f"{median(ours) * 1e3:.2f} / {p99:.2f} ms",
               f"{median(base) * 1e3:.2f} / {pct(base, 99) * 1e3:.2f} ms",
               "p99 <= 10 ms", verdict(p99 <= 10))
