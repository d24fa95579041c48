"""The single writer: ordered commits, rollback on error, typed change sets after commit."""

from __future__ import annotations

import asyncio
import threading
from functools import partial

import pytest
from sqlalchemy import func, insert, select

from local_db.database import Database
from local_db.tables import counters
from local_db.writer import ChangeSet, Tx


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(counters)).scalar_one())


def test_a_failing_write_changes_nothing_and_notifies_nobody(db: Database) -> None:
    seen: list[ChangeSet] = []
    db.subscribe(seen.append)

    def half_then_fail(tx: Tx) -> None:
        tx.conn.execute(insert(counters), {"name": "a", "value": 1})
        tx.changed("counter", "a")
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        db.write(half_then_fail)
    assert _count(db) == 0
    assert seen == []


def test_change_set_published_after_commit(db: Database) -> None:
    seen: list[tuple[ChangeSet, int]] = []
    db.subscribe(lambda cs: seen.append((cs, _count(db))))

    def write(tx: Tx) -> str:
        tx.conn.execute(insert(counters), {"name": "x", "value": 1})
        tx.changed("counter", "x")
        return "done"

    assert db.write(write) == "done"
    change_set, rows_visible = seen[0]
    assert change_set.touches("counter") and change_set.changes["counter"] == {"x"}
    assert rows_visible == 1  # a reader already sees the committed row


def _insert_counter(tx: Tx, row: dict[str, object]) -> None:
    tx.conn.execute(insert(counters), row)


def test_concurrent_callers_are_serialised_without_lock_errors(db: Database) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(25):
                row = {"name": f"{n}-{i}", "value": i}
                db.write(partial(_insert_counter, row=row))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _count(db) == 100


def test_async_api_awaits_the_commit(db: Database) -> None:
    async def main() -> int:
        await db.write_async(lambda tx: tx.conn.execute(
            insert(counters), {"name": "async", "value": 7}))
        return _count(db)

    assert asyncio.run(main()) == 1


def test_wal_is_checkpointed_by_the_writer_between_writes(db: Database) -> None:
    """Auto-checkpoints are off on the writer (they stalled sale commits); the writer
    checkpoints itself once idle, so committed pages still reach the database file."""
    import time

    assert db.write(lambda tx: tx.conn.exec_driver_sql(
        "PRAGMA wal_autocheckpoint").scalar()) == 0
    size_before = db.path.stat().st_size
    for n in range(200):
        db.write(partial(_insert_counter, row={"name": f"bulk-{n}", "value": n}))
    deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
    while db.path.stat().st_size <= size_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert db.path.stat().st_size > size_before
