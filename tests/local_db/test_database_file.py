"""A damaged or foreign database file is reported and never overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from local_db.database import Database
from vendor_console.errors import DatabaseUnusable


def test_not_a_database_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"these are my tax records, not a database\n" * 100)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseUnusable, match="not a Vendor Console database"):
        Database.open(db_path)
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()


def test_corrupt_pages_are_refused_untouched(db_path: Path) -> None:
    Database.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6)):  # scribble over b-tree pages
        data[offset] = 0xA5
    db_path.write_bytes(bytes(data))
    before = db_path.read_bytes()
    with pytest.raises(DatabaseUnusable, match=r"damaged|integrity"):
        Database.open(db_path)
    assert db_path.read_bytes() == before


def test_wal_foreign_keys_and_full_sync_for_writes(db_path: Path) -> None:
    with Database.open(db_path) as db:
        with db.read() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # The writer's connection commits sales with synchronous=FULL (2).
        assert db.write(lambda tx: tx.conn.execute(text("PRAGMA synchronous")).scalar()) == 2
