"""The frozen (PyInstaller) build: self-test, upgrade of an older database, data location.

These run against a built one-folder app given by ``VENDOR_CONSOLE_FROZEN`` (the folder made by
``pyinstaller build.spec``); ``scripts/frozen-smoke.sh`` builds it and runs them, and
``run-tests`` (so CI) runs that script. Without a build they are skipped.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from local_db.engine import make_engine
from local_db.migrate import HEAD_REVISION, current_revision, upgrade

FROZEN = os.environ.get("VENDOR_CONSOLE_FROZEN")
pytestmark = pytest.mark.skipif(not FROZEN, reason="set VENDOR_CONSOLE_FROZEN to a built app "
                                "folder (scripts/frozen-smoke.sh does)")
OLD_RELEASE = "0001_initial"
EXPECTED_LINE = ("ok   ", "self-test passed")


def _app() -> Path:
    assert FROZEN
    name = "vendor-console.exe" if sys.platform == "win32" else "vendor-console"
    path = Path(FROZEN) / name
    assert path.exists(), f"no {name} in {FROZEN}"
    return path


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(_app()), *args], capture_output=True, text=True, check=False,
                          timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                            **(env or {})})


def test_frozen_self_test_passes_with_nothing_unexpected_said() -> None:
    result = _run("--self-test", "--no-crash-dialog")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    unexpected = [line for line in result.stdout.splitlines()
                  if not line.startswith(EXPECTED_LINE)]
    assert unexpected == []
    out = result.stdout
    assert f"migrated to {HEAD_REVISION}" in out
    assert "printed to a dummy device" in out and "chart rendered" in out
    assert "main window rendered" in out


def _older_release_database(path: Path) -> None:
    """A shop database as an older release left it: schema and data of that revision."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    upgrade(engine, path, path.parent / "backups", target=OLD_RELEASE)
    engine.dispose()
    stamp = "2026-01-01T00:00:00.000000Z"
    with sqlite3.connect(path) as conn:
        for i, name in enumerate(("Sourdough Loaf", "Rye Crackers", "Damson Jam"), start=1):
            conn.execute(
                "INSERT INTO products (id, client_ref, name, dietary_tags, visibility, "
                "availability, search_keywords, created_at, updated_at) VALUES "
                "(?, ?, ?, '[\"vegan\"]', 'VISIBLE', 'AVAILABLE', ?, ?, ?)",
                (f"p{i}", f"r{i}", name, f"SKU-{i}", stamp, stamp))
    assert current_revision(path) == OLD_RELEASE


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def test_new_build_upgrades_an_older_database_without_losing_anything(tmp_path: Path) -> None:
    data = tmp_path / "shop-data"
    db = data / "shop.db"
    _older_release_database(db)
    before = _rows(db, "products")
    result = _run("--data-dir", str(data), "db", "info")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"schema {HEAD_REVISION[:4]}" in result.stdout
    assert "3 products" in result.stdout
    assert current_revision(db) == HEAD_REVISION
    after = _rows(db, "products")
    assert [r[:3] for r in after] == [r[:3] for r in before]  # id, client_ref, name kept
    backups = sorted((data / "backups").glob("*.db"))
    assert backups, "no backup was taken before migrating"
    assert current_revision(backups[-1]) == OLD_RELEASE
    assert _rows(backups[-1], "products") == before
    check = _run("--data-dir", str(data), "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_data_lives_in_the_platform_data_folder_not_the_install_folder(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("the XDG data folder is how Linux says where user data goes")
    result = _run("db", "info", env={"XDG_DATA_HOME": str(tmp_path / "xdg"),
                                     "VENDOR_CONSOLE_DATA_DIR": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    expected = tmp_path / "xdg" / "VendorConsole" / "shop.db"
    assert f"Database: {expected}" in result.stdout
    assert expected.exists()
    assert FROZEN and not any(Path(FROZEN).rglob("shop.db"))
