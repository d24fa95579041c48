"""``vendor-console --self-test``: prove a build works on this machine, then exit 0.

Runs in a fresh temporary data folder (unless ``--data-dir`` is given): creates and migrates
the database, checks integrity and the audit chain, writes and reads a setting through the
writer, prints a test page through the printer driver to a dummy device on loopback, and
renders the main window and a chart offscreen. Prints each check; any failure exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from vendor_console.paths import DataPaths


def run_self_test(args: argparse.Namespace, paths: DataPaths) -> int:
    if args.data_dir:
        return _run(paths)
    with tempfile.TemporaryDirectory(prefix="vendor-console-selftest-") as tmp:
        return _run(DataPaths(Path(tmp)))


def _run(paths: DataPaths) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    checks: list[str] = []
    try:
        from sqlalchemy import text

        from local_db.migrate import HEAD_REVISION, current_revision
        from vendor_console.core import AppCore
        from vendor_console.services.audit import verify_chain
        from vendor_console.settings import THEME

        core = AppCore.open(paths)
        try:
            revision = current_revision(paths.database)
            if revision != HEAD_REVISION:
                raise RuntimeError(f"database at {revision}, expected {HEAD_REVISION}")
            checks.append(f"database {paths.database} created and migrated to {revision}")
            with core.db.read() as conn:
                integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
                mode = conn.execute(text("PRAGMA journal_mode")).scalar()
                fts = conn.execute(text(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'product_search'")).scalar()
                chain = verify_chain(conn)
            if integrity != "ok" or mode != "wal" or not chain.ok or fts != 1:
                raise RuntimeError(f"integrity={integrity} journal={mode} audit={chain.message} "
                                   f"search index={fts}")
            checks.append("integrity ok, WAL on, FTS5 search index present, audit chain intact")
            core.settings.set(THEME, "dark")
            if core.settings.get(THEME) != "dark":
                raise RuntimeError("a setting written through the writer did not read back")
            checks.append("write through the single writer and read back ok")
            from vendor_console.devices.self_check import printer_check

            checks.extend(printer_check())
            from ui.app import render_offscreen_check

            checks.extend(render_offscreen_check(core.shell_status))
        finally:
            core.close()
    except Exception:
        for line in checks:
            print(f"ok   {line}")
        print("FAIL self-test:", file=sys.stderr)
        traceback.print_exc()
        return 1
    for line in checks:
        print(f"ok   {line}")
    print(f"self-test passed ({len(checks)} checks)")
    return 0
