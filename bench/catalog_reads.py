"""2. Barcode lookup and 3. search-as-you-type on the large catalog, each beside raw sqlite3."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Report, median, pct, verdict
from local_db.database import Database
from local_db.lookups import BY_BARCODE_SQL, variant_by_barcode
from local_db.search import search_products

TYPED = ("chocolate", "rustic bun", "honey jar", "organic lemon tart", "caramel", "walnut loaf",
         "sesame", "pistachio", "ginger biscuit", "zzq")


def _lat(fn: Callable[[str], object], inputs: list[str], warm: int) -> list[float]:
    for value in inputs[:warm]:
        fn(value)
    samples = []
    for value in inputs:
        start = time.perf_counter()
        fn(value)
        samples.append(time.perf_counter() - start)
    return samples


def barcode_lookup(report: Report, db: Database, path: Path, *, lookups: int) -> None:
    print(f"[2] barcode lookup, {lookups:,} random hits", flush=True)
    with db.read() as conn:
        codes = conn.exec_driver_sql("SELECT barcode FROM variants WHERE barcode IS NOT NULL "
                                     "ORDER BY random() LIMIT ?", (lookups,)).scalars().all()
        ours = _lat(lambda c: variant_by_barcode(conn, c), list(codes), 2000)
    raw = sqlite3.connect(path)
    raw_s = _lat(lambda c: raw.execute(BY_BARCODE_SQL, (c,)).fetchone(), list(codes), 2000)
    raw.close()
    p99 = pct(ours, 99) * 1e3
    report.add("2 barcode lookup", "local_db.lookups.variant_by_barcode p50 / p99",
               f"{median(ours) * 1e6:.0f} / {p99 * 1e3:.0f} µs",
               f"{median(raw_s) * 1e6:.0f} / {pct(raw_s, 99) * 1e6:.0f} µs",
               "p99 <= 1 ms", verdict(p99 <= 1.0))


def search(report: Report, db: Database, path: Path, *, rounds: int) -> None:
    """Type each query a character at a time, as a cashier would, ``rounds`` times."""
    print(f"[3] search as you type, {len(TYPED)} queries x {rounds} rounds", flush=True)
    prefixes = [word[:n] for word in TYPED for n in range(1, len(word) + 1)]
    prefixes = [p for p in prefixes if p.strip() and not p.endswith(" ")]
    rng = random.Random(3)
    by_len: dict[str, list[float]] = {"1": [], "2": [], "3": [], "4+": []}
    raw_by_len: dict[str, list[float]] = {k: [] for k in by_len}
    raw = sqlite3.connect(path)
    raw_sql = ("SELECT p.id, p.name FROM product_search JOIN products p "
               "ON p.rowid = product_search.rowid WHERE product_search MATCH ? LIMIT 50")
    with db.read() as conn:
        for text in prefixes[:5]:
            search_products(conn, text, limit=50)
        for _ in range(rounds):
            order = prefixes[:]
            rng.shuffle(order)
            for text in order:
                bucket = str(len(text)) if len(text) < 4 else "4+"
                start = time.perf_counter()
                search_products(conn, text, limit=50)
                by_len[bucket].append(time.perf_counter() - start)
                match = " ".join(f'"{w}"*' for w in text.split())
                start = time.perf_counter()
                raw.execute(raw_sql, (match,)).fetchall()
                raw_by_len[bucket].append(time.perf_counter() - start)
    raw.close()
    for bucket, samples in by_len.items():
        p99 = pct(samples, 99) * 1e3
        budgeted = bucket != "1"
        report.add("3 search", f"search_products, {bucket} chars, p50 / p99",
                   f"{median(samples) * 1e3:.2f} / {p99:.2f} ms",
                   f"unranked FTS {median(raw_by_len[bucket]) * 1e3:.2f} / "
                   f"{pct(raw_by_len[bucket], 99) * 1e3:.2f} ms",
                   "p99 <= 20 ms" if budgeted else "", verdict(p99 <= 20) if budgeted else "")
