"""Engines and transactions.

SQLite (default): WAL, one writer at a time (BEGIN IMMEDIATE plus an in-process lock, so
concurrent writers queue instead of failing), readers never blocked. PostgreSQL: the same SQL;
writers of one vendor serialize on the vendor's feed counter row.

Every write runs in a `Tx`. Handlers call `tx.emit(...)` for each change they make; at commit
the feed sequence numbers are allocated and the change rows inserted in the same transaction.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, insert, text, update

from marketplace_sandbox import clock, ids
from marketplace_sandbox.models import changes, feed_counters, metadata

CURSOR_PREFIX = "c_"


def cursor_of(seq: int) -> str:
    return f"{CURSOR_PREFIX}{seq:016x}"


def seq_of(cursor: str) -> int | None:
    """The sequence behind a cursor, or None when it is not one of ours."""
    if not cursor.startswith(CURSOR_PREFIX) or len(cursor) != len(CURSOR_PREFIX) + 16:
        return None
    try:
        return int(cursor[len(CURSOR_PREFIX):], 16)
    except ValueError:
        return None


def normalize_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


@dataclass(slots=True)
class PendingChange:
    vendor_id: str
    type: str
    resource_type: str
    resource_id: str
    resource_version: int
    actor: dict[str, Any]
    data: dict[str, Any]
    occurred_us: int


@dataclass(slots=True)
class Tx:
    """One write transaction: the connection plus the changes it will publish."""

    conn: Connection
    pending: list[PendingChange] = field(default_factory=list)
    committed_vendors: set[str] = field(default_factory=set)

    def emit(self, vendor_id: str, type_: str, resource_type: str, resource_id: str,  # noqa: PLR0917
             resource_version: int, data: dict[str, Any], actor: dict[str, Any]) -> None:
        self.pending.append(PendingChange(
            vendor_id, type_, resource_type, resource_id, resource_version, actor, data,
            clock.now_us()))

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """Roll back the database work and the emitted changes of a block that fails."""
        mark = len(self.pending)
        nested = self.conn.begin_nested()
        try:
            yield
        except BaseException:
            nested.rollback()
            del self.pending[mark:]
            raise
        nested.commit()

    def publish(self) -> None:
        """Allocate sequence numbers and insert the change rows (call just before commit)."""
        by_vendor: dict[str, list[PendingChange]] = {}
        for change in self.pending:
            by_vendor.setdefault(change.vendor_id, []).append(change)
        for vendor_id in sorted(by_vendor):
            batch = by_vendor[vendor_id]
            last = self.conn.execute(
                update(feed_counters)
                .where(feed_counters.c.vendor_id == vendor_id)
                .values(seq=feed_counters.c.seq + len(batch))
                .returning(feed_counters.c.seq)
            ).scalar_one()
            first = last - len(batch) + 1
            rows = []
            for offset, change in enumerate(batch):
                seq = first + offset
                envelope = {
                    "cursor": cursor_of(seq),
                    "event_id": ids.new_id("evt"),
                    "type": change.type,
                    "resource_type": change.resource_type,
                    "resource_id": change.resource_id,
                    "resource_version": change.resource_version,
                    "occurred_at": clock.iso_us(change.occurred_us),
                    "actor": change.actor,
                    "data": change.data,
                }
                rows.append({
                    "vendor_id": vendor_id, "seq": seq, "event_id": envelope["event_id"],
                    "type": change.type, "resource_type": change.resource_type,
                    "resource_id": change.resource_id, "created_us": change.occurred_us,
                    "envelope": orjson.dumps(envelope).decode("utf-8"),
                })
            self.conn.execute(insert(changes), rows)
            if self.conn.dialect.name == "postgresql":  # wakes the other worker processes
                self.conn.execute(text("SELECT pg_notify('marketplace_feed', :vendor)"),
                                  {"vendor": vendor_id})
            self.committed_vendors.add(vendor_id)
        self.pending.clear()


class Database:
    def __init__(self, url: str, *, busy_timeout_ms: int = 30_000) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self._write_lock = threading.Lock() if self.is_sqlite else None
        # Called with the vendor ids whose feed grew, after each commit.
        self.on_commit: Callable[[set[str]], None] | None = None
        # Test hook: called inside a write transaction just before it commits.
        self.before_commit: Callable[[Tx], None] | None = None
        if self.is_sqlite:
            self.write_engine = self._sqlite_engine("BEGIN IMMEDIATE", busy_timeout_ms)
            self.read_engine = self._sqlite_engine("BEGIN", busy_timeout_ms)
        else:
            self.write_engine = create_engine(self.url, pool_size=10, max_overflow=40,
                                              pool_pre_ping=True)
            self.read_engine = self.write_engine

    def _sqlite_engine(self, begin: str, busy_timeout_ms: int) -> Engine:
        in_memory = ":memory:" in self.url or self.url.rstrip("/") == "sqlite:"
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if in_memory:
            raise ValueError("use a file for SQLite: readers and writers need separate connections")
        kwargs["pool_size"] = 20
        kwargs["max_overflow"] = 60
        engine = create_engine(self.url, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite would defer it).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(begin)

        return engine

    def create_schema(self) -> None:
        with self._locked():
            metadata.create_all(self.write_engine)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        with self._write_lock:
            yield

    @contextlib.contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction. Changes emitted in it are published atomically with it."""
        with self._locked(), self.write_engine.connect() as conn:
            tx = Tx(conn)
            with conn.begin():
                yield tx
                tx.publish()
                if self.before_commit is not None:
                    self.before_commit(tx)
        if tx.committed_vendors and self.on_commit is not None:
            self.on_commit(tx.committed_vendors)

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.read_engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()

