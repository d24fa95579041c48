"""The shop database: one file, migrated at open, one writer thread, pooled readers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine

from local_db import rollups
from local_db.engine import check_database_file, make_engine
from local_db.migrate import MigrationResult, upgrade
from local_db.writer import ChangeSet, Tx, Writer

T = TypeVar("T")
log = logging.getLogger(__name__)


class Database:
    """Open with :meth:`open`; close with :meth:`close` (or use it as a context manager)."""

    def __init__(self, path: Path, engine: Engine, migration: MigrationResult) -> None:
        self.path = path
        self.engine = engine
        self.migration = migration
        self.writer = Writer(engine)

    @classmethod
    def open(cls, path: Path, *, backup_dir: Path | None = None) -> Database:
        """Check, back up, migrate and open ``path``. A damaged file is never overwritten."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        check_database_file(path)
        engine = make_engine(path)
        migration = upgrade(engine, path, backup_dir or path.parent / "backups")
        _repair_rollups(engine)
        return cls(path, engine, migration)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot (its own pooled connection; WAL lets it run beside the writer)."""
        with self.engine.connect() as conn:
            yield conn

    def write(self, fn: Callable[[Tx], T]) -> T:
        """Run ``fn`` in one write transaction on the writer thread and wait for the commit."""
        return self.writer.call(fn)

    async def write_async(self, fn: Callable[[Tx], T]) -> T:
        return await self.writer.run(fn)

    def subscribe(self, callback: Callable[[ChangeSet], None]) -> None:
        self.writer.subscribe(callback)

    def close(self) -> None:
        self.writer.close()
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _repair_rollups(engine: Engine) -> None:
    """A sync bootstrap defers the analytics triggers across its transactions; if the process
    died before the bootstrap's last one, they are missing: recreate them and rebuild."""
    with engine.connect() as conn:
        if rollups.triggers_complete(conn):
            return
    with engine.connect() as conn:
        conn.info["writer"] = True  # BEGIN IMMEDIATE: take the write lock up front
        try:
            with conn.begin():
                repaired = rollups.restore_if_incomplete(conn)
        finally:
            conn.info.pop("writer", None)
    if repaired:
        log.warning("analytics triggers were missing (an initial sync was interrupted): "
                    "recreated, rollups rebuilt")
