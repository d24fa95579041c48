"""The store's state and its reviews as last mirrored from the marketplace (by sync), with
what this till has queued for them and not yet seen acknowledged: so the Orders page shows
them offline. Blocking reads: call from a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from local_db.database import Database
from local_db.rawsql import fetch_all, fetch_one
from local_db.types import parse_utc


@dataclass(frozen=True, slots=True)
class StoreState:
    state: str  # ONLINE, PAUSED (unknown values kept)
    reason: str | None
    until: str | None
    busy_minutes: int
    hours: tuple[tuple[str, str, str], ...]
    special_days: tuple[dict[str, Any], ...]
    as_of: datetime | None = None  # when this till last heard it (mirror rows)
    sending: int = 0  # store changes queued here, not sent yet

    def summary(self) -> str:
        if self.state == "PAUSED":
            text = "Paused" + (f" ({self.reason.replace('_', ' ').lower()})"
                               if self.reason else "")
            return text + (f" until {_hm(self.until)}" if self.until else "")
        if self.busy_minutes:
            return f"Busy: +{self.busy_minutes} min"
        return "Open" if self.state == "ONLINE" else self.state.title()

    def hours_text(self) -> str:
        return "\n".join(f"{d.lower()} {o}-{c}" for d, o, c in self.hours)

    def special_days_text(self) -> str:
        lines = []
        for s in self.special_days:
            when = "closed" if s.get("closed") else f"{s.get('open')}-{s.get('close')}"
            lines.append(" ".join(str(x) for x in (s.get("date"), when, s.get("note")) if x))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Review:
    id: str
    rating: int
    text: str
    customer: str
    created_at: str
    reply: str | None
    pending_reply: str | None = None  # a reply queued here and not yet acknowledged


def _hm(value: str | None) -> str:
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return parsed.astimezone().strftime("%d %b %H:%M")


def state_from_row(row: Any, sending: int = 0) -> StoreState:
    """A ``store_state`` row (pause_state, paused_until, pause_reason, busy_minutes, hours,
    special_days, updated_at)."""
    state, until, reason, busy, hours, special, updated = row
    hour_rows = tuple((str(h.get("day")), str(h.get("open")), str(h.get("close")))
                      for h in orjson.loads(hours or "[]") if isinstance(h, dict))
    special_rows = tuple(s for s in orjson.loads(special or "[]") if isinstance(s, dict))
    return StoreState(str(state), reason, until, int(busy or 0), hour_rows, special_rows,
                      parse_utc(updated) if updated else None, sending)


def read_store(db: Database) -> StoreState | None:
    """The mirrored store state, or None when sync has not brought it yet."""
    with db.read() as conn:
        row = fetch_one(conn,
            "SELECT pause_state, paused_until, pause_reason, busy_minutes, hours, special_days,"
            " updated_at FROM store_state ORDER BY updated_at DESC LIMIT 1")
        sending = fetch_one(conn, "SELECT count(*) FROM outbox WHERE resource_type = 'store'"
                                  " AND status = 'PENDING'")[0]
    return None if row is None else state_from_row(row, int(sending))


# The latest reply queued for each review, while it is not acknowledged: still PENDING, or
# sent but the mirror has not heard back since (the feed brings the replied review). A mirror
# that already holds the reply's text has heard back, whatever the order of the two writes:
# the long-poll fallback applies the feed beside the sender, so the replied review can land
# before the row is marked sent.
_PENDING = (
    "SELECT o.resource_id, json_extract(o.payload, '$.body.text') FROM outbox o"
    " LEFT JOIN reviews r ON r.remote_id = o.resource_id"
    " WHERE o.resource_type = 'review' AND o.operation = 'reply'"
    " AND (o.status = 'PENDING' OR (o.status = 'SENT'"
    "      AND (r.updated_at IS NULL OR r.updated_at < o.sent_at)"
    "      AND r.reply_text IS NOT json_extract(o.payload, '$.body.text')))"
    " ORDER BY o.seq")


def read_reviews(db: Database, limit: int = 500) -> list[Review]:
    """The mirrored reviews, newest first, each with the reply queued here if any."""
    with db.read() as conn:
        rows = fetch_all(conn,
            "SELECT remote_id, rating, text, customer_name, posted_at, reply_text"
            " FROM reviews ORDER BY posted_at DESC, remote_id LIMIT ?", (limit,))
        pending = {str(rid): str(text) for rid, text in fetch_all(conn, _PENDING)}
    return [Review(str(rid), int(rating), str(text or ""), str(name or "Customer"),
                   str(posted), reply, pending.get(str(rid)))
            for rid, rating, text, name, posted, reply in rows]


def average_rating(reviews: list[Review]) -> float | None:
    return sum(r.rating for r in reviews) / len(reviews) if reviews else None
