"""The text of a crash report: what failed, where, on which versions, and where the log is."""

from __future__ import annotations

import platform
import sys
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType


@dataclass(frozen=True, slots=True)
class CrashReport:
    summary: str  # "ValueError: bad thing"
    text: str  # the whole copyable report, traceback included
    log_path: Path


def _version(distribution: str) -> str:
    from importlib import metadata  # slow to import; only needed once something has failed

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def _qt_version() -> str:
    try:
        from PySide6 import QtCore
    except ImportError:
        return "unavailable"
    return QtCore.qVersion()


def build_crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    log_path: Path,
    thread: str,
) -> CrashReport:
    detail = str(exc).strip()
    summary = f"{exc_type.__name__}: {detail}" if detail else exc_type.__name__
    trace = "".join(traceback.format_exception(exc_type, exc, tb)).rstrip()
    header = [
        f"Vendor Console {_version('vendor-console')} stopped an operation: {summary}",
        f"Time (UTC): {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"Thread: {thread}",
        (
            f"Python {platform.python_version()}, PySide6 {_version('pyside6')}, "
            f"Qt {_qt_version()}, {platform.platform()}"
        ),
        f"Executable: {sys.executable}",
        f"Log file: {log_path}",
    ]
    return CrashReport(summary=summary, text="\n".join([*header, "", trace]), log_path=log_path)
