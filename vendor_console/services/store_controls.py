"""Store controls and review replies: checked here (bad input changes nothing), then queued in
the outbox in one transaction, sent by sync (``sync/request_push.py``).

Opening hours and special days are edited as short lines of text, one per line::

    mon 09:00-17:30          (opening hours; several lines per day allowed)
    2026-12-24 closed        (special day)
    2026-12-31 10:00-14:00 New Year's Eve
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from local_db.database import Database
from local_db.types import utc_now
from local_db.writer import ChangeSet, Tx
from vendor_console.errors import ValidationError
from vendor_console.services import outbox
from vendor_console.services.store_mirror import Review, StoreState, read_reviews, read_store

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PAUSE_REASONS = ("TOO_BUSY", "STORE_CLOSED", "CLOSING_EARLY", "OTHER")
MAX_BUSY_MINUTES = 240
_CLOCK = r"([01]\d|2[0-3]):[0-5]\d"
_HOURS = re.compile(rf"^(?P<day>[a-z]{{3}})\s+(?P<open>{_CLOCK})\s*-\s*(?P<close>{_CLOCK})$")
_SPECIAL = re.compile(rf"^(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s+(?:(?P<closed>closed)|"
                      rf"(?P<open>{_CLOCK})\s*-\s*(?P<close>{_CLOCK}))(?:\s+(?P<note>.+))?$")


@dataclass(frozen=True, slots=True)
class Queued:
    outbox_id: str
    what: str


def parse_hours(text: str) -> list[dict[str, str]]:
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lower()
        if not line:
            continue
        m = _HOURS.match(line)
        if m is None or m["day"] not in DAYS:
            raise ValidationError(f"Line {n}: write a day and hours like “mon 09:00-17:30”.",
                                  field="hours")
        if m["open"] >= m["close"]:
            raise ValidationError(f"Line {n}: the store must open before it closes.",
                                  field="hours")
        out.append({"day": m["day"].upper(), "open": m["open"], "close": m["close"]})
    return out


def parse_special_days(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _SPECIAL.match(line)
        if m is None:
            raise ValidationError(f"Line {n}: write “2026-12-24 closed” or "
                                  "“2026-12-31 10:00-14:00”.", field="special_hours")
        try:
            date.fromisoformat(m["date"])
        except ValueError:
            raise ValidationError(f"Line {n}: {m['date']} is not a date.",
                                  field="special_hours") from None
        entry: dict[str, Any] = {"date": m["date"], "closed": bool(m["closed"])}
        if not m["closed"]:
            if m["open"] >= m["close"]:
                raise ValidationError(f"Line {n}: the store must open before it closes.",
                                      field="special_hours")
            entry |= {"open": m["open"], "close": m["close"]}
        if m["note"]:
            entry["note"] = m["note"][:200]
        out.append(entry)
    return out


def _until(until: datetime | None) -> str | None:
    if until is None:
        return None
    if until.tzinfo is None:
        raise ValidationError("Give the time with its time zone.", field="until")
    if until <= utc_now():
        raise ValidationError("“Until” must be in the future.", field="until")
    return until.isoformat()


class StoreControls:
    def __init__(self, db: Database) -> None:
        self._db = db

    def subscribe(self, callback: Callable[[ChangeSet], None]) -> None:
        """Called on the writer thread after each commit (the mirror and the outbox)."""
        self._db.subscribe(callback)

    def read_store(self) -> StoreState | None:
        """The store as last mirrored (blocking: call from a worker)."""
        return read_store(self._db)

    def read_reviews(self) -> list[Review]:
        """The mirrored reviews with replies queued here (blocking: call from a worker)."""
        return read_reviews(self._db)

    def pause(self, reason: str, until: datetime | None = None) -> Queued:
        if reason not in PAUSE_REASONS:
            raise ValidationError("Choose why the store is paused.", field="reason")
        body = {"mode": "PAUSED", "reason": reason, "until": _until(until)}
        return self._queue("store", "vendor", "pause", "POST", "/vendor/pause", body,
                           "Store paused")

    def busy(self, extra_minutes: int, until: datetime | None = None) -> Queued:
        if not 0 < extra_minutes <= MAX_BUSY_MINUTES:
            raise ValidationError(f"Busy mode adds 1 to {MAX_BUSY_MINUTES} minutes.",
                                  field="extra_prep_minutes")
        body = {"mode": "BUSY", "extra_prep_minutes": extra_minutes, "until": _until(until),
                "reason": "TOO_BUSY"}
        return self._queue("store", "vendor", "busy", "POST", "/vendor/pause", body,
                           f"Busy: +{extra_minutes} min")

    def resume(self) -> Queued:
        return self._queue("store", "vendor", "resume", "POST", "/vendor/resume", {},
                           "Store open")

    def set_hours(self, text: str) -> Queued:
        body = {"hours": parse_hours(text)}
        return self._queue("store", "vendor", "hours", "PUT", "/vendor/hours", body,
                           "Opening hours saved", if_match_of="/vendor")

    def set_special_days(self, text: str) -> Queued:
        body = {"special_hours": parse_special_days(text)}
        return self._queue("store", "vendor", "special-hours", "PUT", "/vendor/special-hours",
                           body, "Special days saved", if_match_of="/vendor")

    def reply_to_review(self, review_id: str, text: str) -> Queued:
        text = text.strip()
        if not review_id.startswith("rev"):
            raise ValidationError("That is not a marketplace review.", field="review")
        if not text or len(text) > 1000:
            raise ValidationError("Write a reply of up to 1000 characters.", field="text")
        return self._queue("review", review_id, "reply", "POST",
                           f"/reviews/{review_id}/reply", {"text": text}, "Reply queued")

    def _queue(self, kind: str, resource_id: str, op: str, method: str, path: str,  # noqa: PLR0917
               body: dict[str, Any], what: str, *, if_match_of: str | None = None) -> Queued:
        payload: dict[str, Any] = {"method": method, "path": path,
                                   "body": {k: v for k, v in body.items() if v is not None}}
        if if_match_of:
            payload["if_match_of"] = if_match_of

        def write(tx: Tx) -> Queued:
            row = outbox.enqueue(tx, kind, resource_id, op, payload)
            tx.changed(kind, resource_id)
            return Queued(row, what)

        return self._db.write(write)
