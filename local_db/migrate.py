"""Schema upgrades at start-up: back up the file, run Alembic, restore the backup on failure."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from vendor_console.errors import MigrationFailed

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision. tests/local_db/test_migrations.py checks it equals Alembic's head, so
# start-up can skip importing Alembic (about 100 ms) when the file is already current.
HEAD_REVISION = "0008_reviews_store"


@dataclass(frozen=True, slots=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def current_revision(path: Path) -> str | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if version is None else str(version[0])
    finally:
        conn.close()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def backup_database(path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy of the live database (sqlite3 backup API, safe with WAL)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{path.stem}-{label}-{stamp}.db"
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def restore_backup(backup: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    tmp = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, tmp)
    tmp.replace(path)


def upgrade(
    engine: Engine, path: Path, backup_dir: Path, *, target: str = "head"
) -> MigrationResult:
    """Bring ``path`` to ``target``. A failure restores the pre-migration backup."""
    before = current_revision(path)
    if target == "head" and before == HEAD_REVISION:
        return MigrationResult(before, HEAD_REVISION, None)
    from alembic import command

    backup = None
    if before is not None:
        backup = backup_database(path, backup_dir, f"before-{before}")
        log.info("backed up %s to %s before migrating", path, backup)
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    except Exception as exc:
        engine.dispose()
        if backup is not None:
            restore_backup(backup, path)
            raise MigrationFailed(
                f"Updating the shop database failed ({exc}). The database was restored from "
                f"the backup taken just before ({backup.name}); your data is as it was."
            ) from exc
        raise MigrationFailed(f"Creating the shop database failed: {exc}") from exc
    after = current_revision(path)
    return MigrationResult(before, after or target, backup)
