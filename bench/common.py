"""Shared helpers: results, percentiles, fresh databases and raw sqlite3 connections."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from local_db.database import Database

# The writer connection's pragmas (local_db/engine.py + writer.py), for the raw baselines.
WRITER_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000",
                  "PRAGMA synchronous=FULL", "PRAGMA temp_store=MEMORY",
                  "PRAGMA cache_size=-32768")


@dataclass
class Row:
    """One line of the results table."""

    section: str
    measure: str
    value: str
    baseline: str = ""
    budget: str = ""
    verdict: str = ""  # PASS, FAIL or "" (informational)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args: str) -> None:
        self.rows.append(Row(*args))
        row = self.rows[-1]
        tail = f"   budget {row.budget}: {row.verdict}" if row.budget else ""
        print(f"  {row.measure}: {row.value}"
              + (f"  (raw {row.baseline})" if row.baseline else "") + tail, flush=True)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def fresh_database(path: Path) -> Database:
    """A new, migrated shop database (the same migrations the app runs)."""
    return Database.open(path)


def fresh_raw(path: Path) -> sqlite3.Connection:
    """A new database with the same schema (migrated by local_db, then closed), opened with
    plain sqlite3 and the writer's pragmas."""
    Database.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in WRITER_PRAGMAS:
        conn.execute(pragma)
    return conn


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
