"""Bulk loading: many rows into one table inside the caller's transaction, fast.

Used by imports, the initial sync and the demo builders. Rows are written with one prepared
``INSERT`` per chunk through the DB-API ``executemany`` (``Connection.exec_driver_sql``), never
through the ORM unit of work and never with ``RETURNING``: both are several times slower
(research/perf_baseline.md, findings 2 and 3).

:func:`bulk_insert` takes dicts keyed by column name and applies each column's bind conversion
(``UTCDateTime`` -> text, ``JSONText`` -> JSON text, …) and Python-side defaults the way a Core
insert would, but column by column instead of SQLAlchemy's per-row parameter compilation.
A ``str`` given for a ``UTCDateTime`` column is taken as already formatted
(:func:`local_db.types.format_utc`), so callers that build millions of rows can format once.
:func:`bulk_insert_values` is the rawest path: tuples already in database form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import Column, Connection, Table

from local_db.types import UTCDateTime

DEFAULT_CHUNK = 50_000
_SEARCH_TRIGGER = "product_search_ai"

Processor = Callable[[Any], Any]


def insert_sql(table: Table, columns: Sequence[str]) -> str:
    """``INSERT INTO t (a, b) VALUES (?, ?)`` for ``columns`` (quoted as the dialect does)."""
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise KeyError(f"{table.name} has no column(s) {', '.join(unknown)}")
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    return f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'


def bulk_insert_values(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk: int = DEFAULT_CHUNK,
) -> int:
    """Insert tuples whose values are already in database form; returns the row count."""
    sql = insert_sql(table, columns)
    count = 0
    for batch in _chunks(iter(rows), chunk):
        conn.exec_driver_sql(sql, batch)
        count += len(batch)
    return count


def bulk_insert(
    conn: Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    *,
    chunk: int = DEFAULT_CHUNK,
) -> int:
    """Insert dict rows (all with the same keys); returns the row count.

    Columns missing from the rows get their Python-side default (evaluated once per call) or
    NULL/the server default, as with a Core insert. Runs in the caller's transaction.
    """
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return 0
    keys = list(first)
    plan = _plan(conn, table, keys)
    sql = insert_sql(table, [name for name, _, _ in plan])
    count = 0
    batch_rows: Iterator[dict[str, Any]] = _prepend(first, it)
    for batch in _chunks(batch_rows, chunk):
        conn.exec_driver_sql(sql, _convert(batch, keys, plan))
        count += len(batch)
    return count


@contextmanager
def search_index_deferred(conn: Connection) -> Iterator[None]:
    """Index products inserted inside the block in one pass at its end, not row by row.

    The product search index (FTS5, migration 0002) is kept by an insert trigger, which costs
    about 40 µs per product; indexing the new rows in one statement afterwards is about ten
    times faster for large loads. The trigger is dropped and recreated (from its own stored SQL)
    inside the caller's transaction, so a failure rolls everything back together. Only inserts
    are deferred: update and delete triggers keep working.
    """
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_SEARCH_TRIGGER,)
    ).scalar()
    if sql is None:  # no search index in this schema: nothing to defer
        yield
        return
    last_rowid = conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM products").scalar()
    conn.exec_driver_sql(f"DROP TRIGGER {_SEARCH_TRIGGER}")
    yield
    # External content: the index's columns are named after the products columns they hold.
    columns = ", ".join(
        f'"{row[1]}"' for row in conn.exec_driver_sql("PRAGMA table_info(product_search)")
    )
    conn.exec_driver_sql(
        f"INSERT INTO product_search(rowid, {columns}) SELECT rowid, {columns} FROM products "
        "WHERE rowid > ? AND archived_at IS NULL ORDER BY rowid", (last_rowid,)
    )
    conn.exec_driver_sql(sql)


# -- internals ------------------------------------------------------------------------------


def _plan(
    conn: Connection, table: Table, keys: list[str]
) -> list[tuple[str, int | None, Any]]:
    """Per output column: (name, index in the row's keys or None, processor or fixed value)."""
    missing = [k for k in keys if k not in table.c]
    if missing:
        raise KeyError(f"{table.name} has no column(s) {', '.join(missing)}")
    plan: list[tuple[str, int | None, Any]] = []
    for index, key in enumerate(keys):
        plan.append((key, index, _processor(conn, table.c[key])))
    for column in table.c:
        if column.name in keys or column.default is None:
            continue
        default = column.default
        value = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        proc = _processor(conn, column)
        plan.append((column.name, None, proc(value) if proc else value))
    return plan


def _processor(conn: Connection, column: Column[Any]) -> Processor | None:
    proc: Processor | None = column.type.bind_processor(conn.dialect)
    if proc is None:
        return None
    if isinstance(column.type, UTCDateTime):
        inner = proc
        return lambda v: v if v is None or isinstance(v, str) else inner(v)
    return proc


def _convert(
    batch: list[dict[str, Any]], keys: list[str], plan: list[tuple[str, int | None, Any]]
) -> list[tuple[Any, ...]]:
    if any(len(row) != len(keys) for row in batch):
        raise ValueError("bulk_insert rows must all have the same keys")
    columns: list[Iterable[Any]] = []
    n = len(batch)
    for name, index, extra in plan:
        if index is None:
            columns.append([extra] * n)
            continue
        values = [row[name] for row in batch]
        columns.append(list(map(extra, values)) if extra is not None else values)
    return list(zip(*columns, strict=True))


def _prepend(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _chunks(it: Iterator[Any], size: int) -> Iterator[list[Any]]:
    if size < 1:
        raise ValueError("chunk must be at least 1")
    while batch := list(islice(it, size)):
        yield batch
