"""Time helpers: RFC 3339 UTC with `Z` and millisecond precision on the wire, µs integers inside."""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


def to_us(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, UTC)


def now_us() -> int:
    return to_us(now())


def iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_us(value: int) -> str:
    return iso(from_us(value))


def http_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


# Test fault clock_skew: seconds added to what the server *says* the time is (Date header,
# server_time), not to what it records.
skew_var: contextvars.ContextVar[float] = contextvars.ContextVar("clock_skew", default=0.0)


def server_now() -> datetime:
    skew = skew_var.get()
    return now() + timedelta(seconds=skew) if skew else now()
