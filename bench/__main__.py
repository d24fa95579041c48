"""Run the performance budgets of DESIGN.md section 9 and print a table.

``uv run python -m bench`` (about 5-8 minutes on 2 cores) or ``--quick`` (10x smaller sizes,
a smoke run). Results are also written to bench/results/latest.md. Raw baselines are measured
in the same run. The large catalog is built once into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    analytics,
    bulk_load,
    catalog_import,
    catalog_reads,
    catalog_ui,
    counter_ui,
    device_runtime,
    orders,
    printing,
    sale_commit,
    startup,
)
from bench import sync as sync_bench
from bench.common import Report
from local_db.database import Database

RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
SECTIONS = (
    "bulk", "lookup", "search", "sale", "startup", "printing", "counter", "devices", "import",
    "analytics", "catalog_ui", "sync", "orders",
)


def _sizes(quick: bool) -> dict[str, int]:
    scale = 10 if quick else 1
    return {
        "bulk_products": 100_000 // scale, "bulk_lines": 1_000_000 // scale,
        "catalog": 1_000_000 // scale, "lookups": 20_000 // scale if quick else 20_000,
        "search_rounds": 3 if quick else 10, "sales": 200 if quick else 1000,
        "startup_runs": 3 if quick else 9, "print_sales": 50 if quick else 300,
        "import_rows": 10_000 // scale,
        "analytics_lines": 1_000_000 // scale, "analytics_products": 2000,
        "sync_samples": 10 if quick else 40, "sync_outbox": 50_000 // scale,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    parser.add_argument("--only", action="append", choices=SECTIONS,
                        help="run only these sections (repeatable)")
    parser.add_argument("--catalog", type=int, help="products in the large catalog")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    sizes = _sizes(args.quick)
    if args.catalog:
        sizes["catalog"] = args.catalog
    only = set(args.only or SECTIONS)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if "bulk" in only:
            bulk_load.run(report, work, products=sizes["bulk_products"],
                          lines=sizes["bulk_lines"])
        if only & {"lookup", "search", "sale"}:
            _catalog_sections(report, work, sizes, only)
        if "analytics" in only:
            analytics.run(report, work, products=sizes["analytics_products"],
                          lines=sizes["analytics_lines"], sales=sizes["sales"])
        if "startup" in only:
            startup.run(report, work, runs=sizes["startup_runs"])
        if "printing" in only:
            printing.run(report, work, sales=sizes["print_sales"])
        if "counter" in only:
            counter_ui.section(report, work, products=sizes["catalog"], quick=args.quick)
        if "devices" in only:
            device_runtime.run(report, work, sales=sizes["print_sales"])
        if "import" in only:
            catalog_import.run(report, work, rows=sizes["import_rows"])
        if "catalog_ui" in only:
            catalog_ui.section(report, work, quick=args.quick)
        if "sync" in only:
            sync_bench.run(report, work, products=sizes["bulk_products"],
                           lines=sizes["bulk_lines"], samples=sizes["sync_samples"],
                           outbox=sizes["sync_outbox"])
        if "orders" in only:
            orders.run(report, work, samples=sizes["sync_samples"])
    elapsed = time.perf_counter() - started
    text = _markdown(report, sizes, args.quick, elapsed)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print()
    print(text)
    return 1 if any(row.verdict == "FAIL" for row in report.rows) else 0


def _catalog_sections(report: Report, work: Path, sizes: dict[str, int], only: set[str]) -> None:
    from vendor_console.demo import build_large

    path = work / "catalog.db"
    print(f"building a {sizes['catalog']:,}-product catalog…", flush=True)
    db = Database.open(path)
    try:
        summary = build_large(db, products=sizes["catalog"], order_lines=0)
        report.notes.append(f"large catalog: {summary.products:,} products built in "
                            f"{summary.seconds:.1f} s")
        print(f"  built in {summary.seconds:.1f} s", flush=True)
        if "lookup" in only:
            catalog_reads.barcode_lookup(report, db, path, lookups=sizes["lookups"])
        if "search" in only:
            catalog_reads.search(report, db, path, rounds=sizes["search_rounds"])
        if "sale" in only:
            sale_commit.run(report, db, path, sales=sizes["sales"])
    finally:
        db.close()


def _markdown(report: Report, sizes: dict[str, int], quick: bool, elapsed: float) -> str:
    lines = [
        f"# Benchmark results ({'quick' if quick else 'full'} run)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · Python {platform.python_version()} · "
        f"SQLite {sqlite3.sqlite_version} · {os.cpu_count()} CPUs · {sys.platform} · "
        f"total {elapsed:.0f} s",
        "",
        "Sizes: " + ", ".join(f"{k}={v:,}" for k, v in sizes.items()),
        "",
        "| section | measure | result | raw baseline (same run) | budget | verdict |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r.section} | {r.measure} | {r.value} | {r.baseline} | {r.budget} | "
              f"{r.verdict} |" for r in report.rows]
    if report.notes:
        lines += ["", *[f"- {note}" for note in report.notes]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
