"""Counter screen budgets (issue 5, item 9), measured through the real Sell page offscreen.

``uv run python -m bench.counter_ui --catalog 1000000 [--db PATH]`` builds the large catalog
(or reuses ``--db``) and prints p50 / p99 of:

- scan to cart line painted: the wedge's suffix key -> lookup on a worker -> the cart
  table's viewport painted with the new line (budget <= 16 ms);
- search keystroke to results: a typed character -> search on a worker -> the results list
  filled (budget <= 30 ms);
- "Pay" to durable: tenders handed to the page -> ``complete_sale`` committed by the writer
  -> the page told, before the receipt window opens (budget <= 50 ms).

The GUI thread waits in a real event loop (it sleeps, as in the app); each end time is
stamped where the thing happens (paint event, results shown, sale-completed signal).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from bench.common import Report, verdict
from bench.page_setup import TYPED, BenchCore, LoopProbe, large_catalog
from local_db.database import Database

if TYPE_CHECKING:
    from ui.sell.flows import SellScreen

BUDGETS_MS = {"scan to cart line painted": 16.0, "search keystroke to results": 30.0,
              "Pay to durable": 50.0}


class _Probe(LoopProbe):
    """Waits in an event loop until ``done()``; ``stamp()`` marks the end where it happens."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def stamp(self) -> None:
        self.ended = time.perf_counter()
        if self.loop is not None and self.done():
            self.loop.quit()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
            self.stamp()
        return False

    def wait(self, done: Callable[[], bool], timeout_ms: int = 10_000) -> None:
        if done():
            return
        self.run_loop(done, timeout_ms)
        if not done():
            raise TimeoutError


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1e3


def _key(target: QObject, key: Qt.Key, text: str, at: int) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(at)
        QApplication.sendEvent(target, event)


def _scans(sell: SellScreen, probe: _Probe, codes: list[str]) -> list[float]:
    samples, clock = [], 1_000_000
    for code in codes:
        if sell.model.rowCount() > 40:
            sell.model.clear()
        rows, paints = sell.model.rowCount(), probe.paints
        for char in code:
            _key(sell.search.box, Qt.Key(ord(char)), char, clock)
            clock += 5
        start = time.perf_counter()
        _key(sell.search.box, Qt.Key.Key_Return, "\r", clock)

        def painted(r: int = rows, p: int = paints) -> bool:
            return sell.model.rowCount() > r and probe.paints > p

        probe.wait(painted)
        samples.append(probe.ended - start)
        clock += 1000
    return samples


def _searches(sell: SellScreen, probe: _Probe, rounds: int) -> list[float]:
    panel = sell.search
    shown = panel._show_items

    def show_and_stamp(generation: int, items: list[Any]) -> None:
        shown(generation, items)
        probe.stamp()

    panel._show_items = show_and_stamp  # type: ignore[method-assign]
    samples = []
    for _ in range(rounds):
        for word in TYPED:
            panel.clear()
            for n in range(1, len(word) + 1):
                panel.box.setText(word[:n])
                start = time.perf_counter()
                panel.box.textEdited.emit(word[:n])
                probe.wait(lambda: not panel.searching())
                samples.append(probe.ended - start)
    return samples


def _sales(sell: SellScreen, probe: _Probe, variant_ids: list[str], sales: int) -> list[float]:
    from vendor_console.services.pricing import CASH, Tender

    done: list[object] = []

    def completed(record: object) -> None:
        done.append(record)
        probe.stamp()

    sell.sale_completed.connect(completed)
    samples = []
    for i in range(sales):
        sell.model.clear()
        sell.add_variant(variant_ids[i % len(variant_ids)])
        probe.wait(lambda: sell.model.rowCount() == 1)
        assert sell.model.totals is not None
        before = len(done)
        start = time.perf_counter()
        sell.complete([Tender(CASH, sell.model.totals.total)])

        def committed(b: int = before) -> bool:
            return len(done) > b

        probe.wait(committed)
        samples.append(probe.ended - start)
        if sell.active_dialog is not None:
            sell.active_dialog.reject()
    return samples


def run(db: Database, *, scans: int, rounds: int, sales: int) -> dict[str, tuple[float, float]]:
    from ui import workers
    from ui.sell.page import SellPage
    from vendor_console.services.shifts import ShiftService
    from vendor_console.services.staff import StaffService

    app = QApplication.instance() or QApplication([])
    with db.read() as conn:
        codes = list(conn.exec_driver_sql(
            "SELECT barcode FROM variants WHERE barcode IS NOT NULL ORDER BY random() LIMIT ?",
            (scans,)).scalars())
        variant_ids = list(conn.exec_driver_sql(
            "SELECT id FROM variants WHERE precision = 0 ORDER BY random() LIMIT 500").scalars())
    staff = StaffService(db)
    actor = staff.actor(next(s.id for s in staff.list_staff() if s.role != "cashier"))
    if ShiftService(db).current_shift() is None:
        ShiftService(db).open_shift(actor, 0)
    probe = _Probe()
    page = SellPage(BenchCore(db))
    page.resize(1280, 800)
    page.show()
    probe.wait(lambda: page.sign_in is not None and bool(page.sign_in.staff))
    assert page.sign_in is not None and page.sell is not None
    page.sign_in.signed_in.emit(actor)
    sell = page.sell
    sell.table.viewport().installEventFilter(probe)
    results = {
        "scan to cart line painted": _scans(sell, probe, codes),
        "search keystroke to results": _searches(sell, probe, rounds),
        "Pay to durable": _sales(sell, probe, variant_ids, sales),
    }
    page.close()
    workers.wait_for_threads()
    app.processEvents()
    return {name: (_pct(s, 50), _pct(s, 99)) for name, s in results.items()}


def section(report: Report, work: Path, *, products: int, quick: bool) -> None:
    """``python -m bench --only counter``: the three budgets through the real Sell page, on a
    catalog of ``products`` built once into ``work`` (reused by a later run with ``--keep``)."""
    with large_catalog(work / f"counter-{products}.db", products, label="counter",
                       report=report) as db:
        load_before = os.getloadavg()
        results = run(db, scans=200 if quick else 2000, rounds=1 if quick else 5,
                      sales=50 if quick else 300)
        load_after = os.getloadavg()
    for name, (p50, p99) in results.items():
        budget = BUDGETS_MS[name]
        report.add("counter", f"{name} p50 / p99 ({products:,} products)",
                   f"{p50:.2f} / {p99:.2f} ms", "", f"p99 <= {budget:.0f} ms",
                   verdict(p99 <= budget))
    report.notes.append(
        "counter: load average (1/5/15 min) before "
        + " ".join(f"{x:.2f}" for x in load_before) + ", after "
        + " ".join(f"{x:.2f}" for x in load_after))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.counter_ui", description=__doc__)
    parser.add_argument("--catalog", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse this database (built if missing)")
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sales", type=int, default=300)
    args = parser.parse_args(argv)
    with (tempfile.TemporaryDirectory(prefix="vc-counter-bench-") as tmp,
          large_catalog(args.db or Path(tmp) / "catalog.db", args.catalog) as db):
        results = run(db, scans=args.scans, rounds=args.rounds, sales=args.sales)
    failed = False
    for name, (p50, p99) in results.items():
        ok = p99 <= BUDGETS_MS[name]
        failed |= not ok
        print(f"{name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms "
              f"(budget p99 <= {BUDGETS_MS[name]:.0f} ms: {'PASS' if ok else 'FAIL'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
