"""What the page benches (``catalog_ui``, ``counter_ui``) share: the large catalog they open a
page on, built once into its database file, the core the page is given, the words typed, and
the probe's wait in a real event loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer

from bench.common import Report
from local_db.database import Database
from vendor_console.permissions import Actor
from vendor_console.settings import Settings

TYPED = ("chocolate", "rustic bun", "honey jar", "organic lemon tart", "caramel",
         "walnut loaf", "sesame", "pistachio", "ginger biscuit", "zzq")


class BenchCore:
    """What a page needs of the app's core: the open database and its settings."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.settings = Settings(db)
        self.signed_in: Actor | None = None


@contextmanager
def large_catalog(path: Path, products: int, *, label: str = "",
                  report: Report | None = None) -> Iterator[Database]:
    """The catalog database at ``path``, with ``products`` products built first when the file
    is new (``label`` names the bench in the progress lines and in the note on ``report``)."""
    fresh = not path.exists()
    db = Database.open(path)
    try:
        if fresh:
            from vendor_console.demo import build_large

            print(f"{label + ': ' if label else ''}building a {products:,}-product catalog…",
                  flush=True)
            summary = build_large(db, products=products, order_lines=0)
            print(f"  built in {summary.seconds:.1f} s", flush=True)
            if report is not None:
                report.notes.append(f"{label or 'large'} catalog: {summary.products:,} products "
                                    f"built in {summary.seconds:.1f} s")
        yield db
    finally:
        db.close()


class LoopProbe(QObject):
    """Waits in an event loop, as the app's GUI thread does, until a subclass (an event filter)
    sees ``done()`` hold and quits ``loop``; it stamps ``ended`` where the thing happens."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: QEventLoop | None = None
        self.done: Callable[[], bool] = lambda: True
        self.ended = 0.0

    def run_loop(self, done: Callable[[], bool], timeout_ms: int) -> None:
        loop = QEventLoop()
        self.loop, self.done = loop, done
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        self.loop = None
