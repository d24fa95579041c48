"""Engines and connection settings for the shop's SQLite file.

Every connection gets WAL, foreign keys and a busy timeout. The single writer connection uses
``synchronous=FULL`` so a completed sale survives a power cut; readers use NORMAL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from vendor_console.errors import DatabaseUnusable

SQLITE_HEADER = b"SQLite format 3\x00"


def _apply_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see _begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # A row an INSERT OR REPLACE removes fires its delete triggers (analytics rollups, search).
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def check_database_file(path: Path) -> None:
    """Refuse a file that exists but is not a readable SQLite database. Never modifies it."""
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseUnusable(
            f"The shop database {path} cannot be read ({exc.strerror}). "
            "Check the file's permissions; nothing was changed."
        ) from exc
    if path.stat().st_size == 0:
        return  # an empty file is what sqlite3 itself creates; treated as new
    if header != SQLITE_HEADER:
        raise DatabaseUnusable(
            f"The file {path} is not a Vendor Console database (it may be damaged). "
            "It was left untouched; restore a backup or choose another data folder."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnusable(
            f"The shop database {path} is damaged ({exc}). It was left untouched; "
            "restore a backup from the backups folder."
        ) from exc
    if row is None or row[0] != "ok":
        raise DatabaseUnusable(
            f"The shop database {path} failed its integrity check ({row[0] if row else '?'}). "
            "It was left untouched; restore a backup from the backups folder."
        )


def make_engine(path: Path) -> Engine:
    """An engine for ``path`` with the project's pragmas on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=NullPool if str(path) == ":memory:" else None,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _apply_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Connection) -> None:
    """Start transactions explicitly; the writer takes the write lock up front."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("writer") else "BEGIN")
