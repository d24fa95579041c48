"""Migrations: empty -> head, previous revision -> head with data intact, failure -> restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from local_db.database import Database
from local_db.engine import make_engine
from local_db.migrate import HEAD_REVISION, alembic_config, current_revision, upgrade
from local_db.models import Base
from vendor_console.errors import MigrationFailed

PRODUCT = (
    "INSERT INTO products (id, client_ref, name, dietary_tags, visibility, availability, "
    "search_keywords, created_at, updated_at) VALUES (?, ?, ?, '[]', 'VISIBLE', 'AVAILABLE', "
    "?, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
)


def _at_previous_revision(path: Path) -> None:
    """A database as the previous release left it, with a product in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    upgrade(engine, path, path.parent / "backups", target="0001_initial")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(PRODUCT, ("p1", "r1", "Sourdough Loaf", "SKU-1"))
        conn.execute(PRODUCT, ("p2", "r2", "Rye Crackers", "SKU-2"))
    assert current_revision(path) == "0001_initial"


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_head_constant_matches_alembic_head() -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head == HEAD_REVISION


def test_empty_to_head_creates_every_table(db_path: Path) -> None:
    with Database.open(db_path) as db:
        assert db.migration.from_revision is None
        assert db.migration.backup is None  # nothing to back up yet
        tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "product_search" in tables
    assert current_revision(db_path) == HEAD_REVISION


def test_models_match_migrations(db_path: Path) -> None:
    """Autogenerate finds nothing to do: the revisions create exactly what the models say."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Database.open(db_path) as db, db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # FTS5 shadow tables are the migration's own, not the models'.
    diff = [
        d for d in diff
        if not (d[0] == "remove_table" and d[1].name.startswith("product_search"))
    ]
    assert diff == []


def test_previous_revision_to_head_keeps_data_and_backs_up(db_path: Path) -> None:
    _at_previous_revision(db_path)
    with Database.open(db_path) as db:
        assert db.migration.from_revision == "0001_initial"
        assert db.migration.to_revision == HEAD_REVISION
        backup = db.migration.backup
        with db.engine.connect() as conn:
            names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM products ORDER BY id")]
            found = [r[0] for r in conn.exec_driver_sql(
                "SELECT p.name FROM product_search s JOIN products p ON p.rowid = s.rowid "
                "WHERE product_search MATCH 'sour*'")]
            # The external-content columns resolve against products (names must match).
            keywords = conn.exec_driver_sql(
                "SELECT search_keywords FROM product_search WHERE product_search MATCH 'sku*' "
                "ORDER BY rowid").fetchall()
    assert names == ["Sourdough Loaf", "Rye Crackers"]
    assert found == ["Sourdough Loaf"]  # existing products were indexed by the migration
    assert keywords == [("SKU-1",), ("SKU-2",)]
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0001_initial",)
        assert conn.execute("SELECT count(*) FROM products").fetchone() == (2,)


def test_failed_migration_restores_the_backup_and_says_so(db_path: Path) -> None:
    _at_previous_revision(db_path)
    with sqlite3.connect(db_path) as conn:  # something in the way of revision 0002
        conn.execute("CREATE TABLE product_search (x)")
    before = _dump(db_path)
    with pytest.raises(MigrationFailed, match="restored from the backup") as info:
        Database.open(db_path)
    assert "your data is as it was" in info.value.user_message
    assert current_revision(db_path) == "0001_initial"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM products").fetchone() == (2,)
    assert _dump(db_path) == before  # same schema and rows as before the attempt


def test_reopening_a_current_database_takes_no_backup(db_path: Path) -> None:
    Database.open(db_path).close()
    with Database.open(db_path) as db:
        assert db.migration.backup is None
        assert db.migration.from_revision == HEAD_REVISION
    assert not (db_path.parent / "backups").exists() or not any(
        (db_path.parent / "backups").iterdir())
