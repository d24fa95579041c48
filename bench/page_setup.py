"""What the page benches (``catalog_ui``, ``counter_ui``) share: the large catalog they open a
page on, built once into its database file, the core the page is given, and the words typed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
