"""Catalog page budgets (issue 7, item 8), measured through the real Catalog page offscreen.

``uv run python -m bench.catalog_ui --catalog 100000 [--db PATH]`` builds the large catalog
(or reuses ``--db``) and prints:

- open to first paint: a new Catalog page constructed and shown -> its table's viewport
  painted with the first rows' data (ids of all 100k products and the first page of rows
  read on a worker) (budget <= 300 ms);
- filter keystroke: one more character typed in the search box -> the id query on a worker
  -> the table reset and its viewport painted (budget p99 <= 50 ms).

The GUI thread waits in a real event loop; each end time is stamped in the paint event.
Also part of ``python -m bench`` as the ``catalog_ui`` section.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from bench.common import Report, pct, verdict
from bench.page_setup import TYPED, BenchCore, LoopProbe, large_catalog
from local_db.database import Database
from vendor_console.gc_policy import freeze_long_lived

BUDGET_OPEN_MS = 300.0
BUDGET_KEY_MS = 50.0


class _Probe(LoopProbe):
    """Stamps viewport paints; ``wait`` runs an event loop until ``done()``."""

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint and self.loop is not None and self.done():
            self.ended = time.perf_counter()
            self.loop.quit()
        return False

    def wait(self, done: Callable[[], bool], timeout_ms: int = 30_000) -> None:
        self.run_loop(done, timeout_ms)
        if not self.ended:
            raise TimeoutError


def _drain() -> None:
    """Let the page's work after its first paint (the whole order, the filter choices)
    finish, so the next measurement starts on an idle app, as a user's would."""
    from ui import workers

    loop = QEventLoop()
    timer = QTimer()

    def check() -> None:
        if workers.pending() == 0:
            loop.quit()

    timer.timeout.connect(check)
    timer.start(5)
    loop.exec()
    timer.stop()


def _open_once(db: Database) -> float:
    from ui.catalog.page import CatalogPage

    probe = _Probe()
    start = time.perf_counter()
    page = CatalogPage(BenchCore(db))
    page.table.viewport().installEventFilter(probe)
    page.resize(1280, 800)
    page.show()
    probe.wait(lambda: page.model.rowCount() > 0 and page.model.row_record(0) is not None)
    elapsed = probe.ended - start
    _drain()
    page.close()
    page.deleteLater()
    return elapsed


def _keystrokes(db: Database, rounds: int) -> tuple[list[float], int, list[str]]:
    from ui.catalog.page import CatalogPage

    probe = _Probe()
    page = CatalogPage(BenchCore(db))
    page.table.viewport().installEventFilter(probe)
    page.resize(1280, 800)
    page.show()
    probe.wait(lambda: page.model.row_record(0) is not None)
    probe.ended = 0.0
    probe.wait(lambda: page.model.loaded_rows() == page.model.rowCount())  # fully open
    _drain()  # and its background work done (the one-character postings), as _open_once
    loads = [0]
    page.model.loaded.connect(lambda: loads.__setitem__(0, loads[0] + 1))
    samples: list[float] = []
    texts: list[str] = []
    total = page.model.rowCount()
    for _ in range(rounds):
        for word in TYPED:
            if page.search.text():
                before = loads[0]
                page.search.clear()
                probe.ended = 0.0
                probe.wait(lambda b=before: loads[0] > b)  # type: ignore[misc]
            for n in range(1, len(word) + 1):
                before = loads[0]
                probe.ended = 0.0
                start = time.perf_counter()
                page.search.setText(word[:n])  # one more key typed
                probe.wait(lambda b=before: loads[0] > b)  # type: ignore[misc]
                samples.append(probe.ended - start)
                texts.append(word[:n])
    page.close()
    page.deleteLater()
    return samples, total, texts


def _warm_ms(db: Database) -> float:
    """The page's background build of the one-character postings (order already read)."""
    from vendor_console.services.catalog_table import CatalogFilter, CatalogTableReads

    reads = CatalogTableReads(db)
    reads.first_page(CatalogFilter(), 64)  # the name order, as the page has it by then
    start = time.perf_counter()
    reads.warm_prefixes()
    return (time.perf_counter() - start) * 1e3


def run(report: Report, db: Database, *, opens: int, rounds: int) -> None:
    from ui import workers

    app = QApplication.instance() or QApplication([])
    _open_once(db)  # imports and the first SQLite page cache, not counted
    freeze_long_lived()  # as the app does once started (vendor_console.gui_entry)
    opened = [_open_once(db) for _ in range(opens)]
    samples, total, texts = _keystrokes(db, rounds)
    warm_ms = _warm_ms(db)
    workers.wait_for_threads()
    app.processEvents()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    worst = max(opened) * 1e3
    report.add("catalog_ui", f"open Catalog page on {total:,} products to first paint",
               f"median {pct(opened, 50) * 1e3:.0f} ms, max {worst:.0f} ms ({opens} opens)", "",
               f"<= {BUDGET_OPEN_MS:.0f} ms", verdict(worst <= BUDGET_OPEN_MS))
    p99 = pct(samples, 99) * 1e3
    report.add("catalog_ui", "filter keystroke to table painted",
               f"p50 {pct(samples, 50) * 1e3:.1f} ms, p99 {p99:.1f} ms ({len(samples)} keys)", "",
               f"p99 <= {BUDGET_KEY_MS:.0f} ms", verdict(p99 <= BUDGET_KEY_MS))
    longer = [x for x, t in zip(samples, texts, strict=True) if len(t) >= 2]
    report.add("catalog_ui", "filter keystroke to table painted, queries of >= 2 characters",
               f"p50 {pct(longer, 50) * 1e3:.1f} ms, p99 {pct(longer, 99) * 1e3:.1f} ms "
               f"({len(longer)} keys)", "", "(as DESIGN's search budget)", "")
    slowest = ", ".join(f"{t!r} {x * 1e3:.0f}" for x, t in sorted(zip(samples, texts,
                                                                       strict=True))[-5:])
    report.notes.append(f"catalog_ui measured at a 1-minute load average of {load:.2f}; "
                        f"slowest keystrokes (ms): {slowest}")
    report.notes.append(f"catalog_ui: the one-character search postings (every letter and "
                        f"digit, name order) take {warm_ms:.0f} ms to build on a worker, in the "
                        f"background after the page's order arrives and after each change")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_ui", description=__doc__)
    parser.add_argument("--catalog", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse this database (built if missing)")
    parser.add_argument("--opens", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    report = Report()
    with (tempfile.TemporaryDirectory(prefix="vc-catalog-bench-") as tmp,
          large_catalog(args.db or Path(tmp) / "catalog.db", args.catalog) as db):
        run(report, db, opens=args.opens, rounds=args.rounds)
    for note in report.notes:
        print(note)
    return 1 if any(r.verdict == "FAIL" for r in report.rows) else 0


if __name__ == "__main__":
    sys.exit(main())


def section(report: Report, work: Path, *, quick: bool) -> None:
    """The ``catalog_ui`` section of ``python -m bench``: its own 100k catalog (10k quick)."""
    products = 10_000 if quick else 100_000
    with large_catalog(work / "catalog_ui.db", products, label="catalog_ui") as db:
        run(report, db, opens=3 if quick else 10, rounds=1 if quick else 3)
