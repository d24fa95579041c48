"""The command line: self-test, --data-dir isolation, settings, bad input and damaged files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from local_db.migrate import HEAD_REVISION
from vendor_console import __version__
from vendor_console.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vendor_console", *args], capture_output=True, text=True,
        cwd=ROOT, check=False, timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )


def test_self_test_creates_migrates_and_renders(tmp_path: Path) -> None:
    result = _run("--self-test", "--no-crash-dialog")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"migrated to {HEAD_REVISION}" in out
    assert "integrity ok, WAL on" in out
    assert "self-test passed" in out
    assert result.stderr.strip() == ""  # no warnings or stray output


def test_self_test_with_data_dir_leaves_the_database_there(tmp_path: Path) -> None:
    result = _run("--data-dir", str(tmp_path / "till"), "--self-test")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "till" / "shop.db").exists()


def test_data_dir_keeps_shops_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["--data-dir", str(a), "settings", "set", "ui.theme", "dark"]) == 0
    assert main(["--data-dir", str(b), "settings", "list"]) == 0
    assert 'ui.theme = "light"' in capsys.readouterr().out
    assert main(["--data-dir", str(a), "settings", "list"]) == 0
    assert 'ui.theme = "dark"' in capsys.readouterr().out


def test_bad_setting_value_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "settings", "set",
                 "counter.idle_lock_seconds", "soon"]) == 2
    assert "not a whole number" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "settings", "set", "no.such", "1"]) == 2
    assert "There is no setting" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "settings", "list"]) == 0
    assert "counter.idle_lock_seconds = 300" in capsys.readouterr().out


def test_damaged_database_is_reported_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shop.db").write_bytes(b"\x00garbage" * 512)
    before = (tmp_path / "shop.db").read_bytes()
    assert main(["--data-dir", str(tmp_path), "db", "info"]) == 2
    assert "left untouched" in capsys.readouterr().err
    assert (tmp_path / "shop.db").read_bytes() == before


def test_env_variable_sets_the_data_dir(tmp_path: Path) -> None:
    result = _run("db", "info", env={"VENDOR_CONSOLE_DATA_DIR": str(tmp_path / "env")})
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / "env" / "shop.db") in result.stdout


def test_version_matches_the_package_metadata() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert __version__ == project["version"]


def test_demo_build_then_catalog_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "demo")
    assert main(["--data-dir", data, "demo", "build"]) == 0
    first = capsys.readouterr().out
    assert "Hazel & Rye" in first
    assert main(["--data-dir", data, "demo", "build"]) == 0  # once: nothing is duplicated
    assert main(["--data-dir", data, "db", "info"]) == 0
    info = capsys.readouterr().out
    assert "200 products" in info and "3 staff" in info
    assert main(["--data-dir", data, "catalog", "search", "sourdough"]) == 0
    hits = capsys.readouterr().out.splitlines()
    assert hits and all("sourdough" in line.lower() for line in hits[:1])
    code = hits[0].split("\t")[2] or hits[0].split("\t")[1]
    assert main(["--data-dir", data, "catalog", "lookup", code]) == 0
    assert "Sourdough" in capsys.readouterr().out
    assert main(["--data-dir", data, "catalog", "lookup", "4006381333932"]) == 2  # bad digit
    assert "last digit should be 1" in capsys.readouterr().err
    assert main(["--data-dir", data, "db", "check"]) == 0
    assert "chain intact" in capsys.readouterr().out


def test_large_shop_for_benchmarks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "big")
    assert main(["--data-dir", data, "demo", "build", "--size", "500",
                 "--order-lines", "3000"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "db", "info"]) == 0
    assert "500 products" in capsys.readouterr().out
