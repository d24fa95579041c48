"""Imports point one way: the core, the database layer and sync never import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = ["local_db", "sync", "vendor_console", "marketplace_sandbox"]
# The entries that start or render the UI (lazily, inside the function that needs it).
GUI_ENTRY = {"vendor_console/gui_entry.py", "vendor_console/selftest.py"}
QT_MODULES = ("PySide6", "shiboken6", "qasync", "ui")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_packages_do_not_import_qt_or_ui() -> None:
    offenders = []
    for package in QT_FREE:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in GUI_ENTRY or "/migrations/versions/" in rel:
                continue
            for name in _imports(path):
                if name.split(".")[0] in QT_MODULES:
                    offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_importing_the_core_loads_no_qt_at_runtime() -> None:
    code = (
        "import sys, local_db.database, vendor_console.core, vendor_console.commands, "
        "vendor_console.services.staff, vendor_console.services.audit, vendor_console.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ui_runs_no_sql() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "ui").rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in ("sqlalchemy", "sqlite3", "local_db")
    ]
    assert offenders == []
