"""The DB-API fast path for statements on a latency budget (the sale commit, lookups).

SQLAlchemy's execution context costs ~50-100 µs per statement on this hardware even for a
cached, prebuilt statement; the sqlite3 cursor underneath costs ~20 µs. These helpers run SQL
on the DB-API connection *inside* the transaction the SQLAlchemy ``Connection`` already has
open (the writer's ``BEGIN IMMEDIATE``), so atomicity is unchanged. Values must be in database
form: :func:`insert_rows` applies each column's bind conversion (UTC times, JSON) itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table

from local_db.bulk import insert_sql

Processor = Callable[[Any], Any] | None
_PLANS: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[Processor, ...]]] = {}


def dbapi(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError("the raw path needs a sqlite3 connection")
    return driver


def fetch_one(conn: Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    return dbapi(conn).execute(sql, params).fetchone()


def fetch_all(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    return dbapi(conn).execute(sql, params).fetchall()


def execute_many(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    dbapi(conn).executemany(sql, rows)


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dict rows that all name the same columns (every column they need: no defaults
    are filled in here), converting values as their column types do."""
    if not rows:
        return
    keys = tuple(rows[0])
    plan = _PLANS.get((table.name, keys))
    if plan is None:
        missing = [k for k in keys if k not in table.c]
        if missing:
            raise KeyError(f"{table.name} has no column(s) {', '.join(missing)}")
        processors: tuple[Processor, ...] = tuple(
            table.c[k].type.bind_processor(conn.dialect) for k in keys
        )
        plan = _PLANS[(table.name, keys)] = (insert_sql(table, keys), processors)
    sql, processors = plan
    if any(len(row) != len(keys) for row in rows):
        raise ValueError(f"rows for {table.name} must all name the same columns")
    values = [
        tuple(row[k] if proc is None or row[k] is None else proc(row[k])
              for k, proc in zip(keys, processors, strict=True))
        for row in rows
    ]
    dbapi(conn).executemany(sql, values)
