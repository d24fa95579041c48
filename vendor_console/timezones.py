"""IANA time zones: the ones this machine knows (for a picker) and the system's own."""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

FALLBACK = "UTC"


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name available here, sorted (the legacy ``posix/`` and ``right/``
    copies and ``localtime``/``Factory`` left out)."""
    return tuple(sorted(z for z in available_timezones()
                        if not z.startswith(("posix/", "right/")) and z not in {
                            "localtime", "Factory", "posixrules"}))


def is_zone(name: str) -> bool:
    if not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def system_zone() -> str:
    """This machine's IANA zone: ``TZ``, else ``/etc/localtime``'s target, else
    ``/etc/timezone``, else UTC (on Windows the window asks Qt for it instead)."""
    candidates: list[str] = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    return next((c for c in candidates if is_zone(c)), FALLBACK)
