"""Typed wire models of the marketplace API that tolerate drift.

Unknown members are ignored (kept in ``raw`` where the client needs them), unknown enum values
stay raw strings (``OrderStatus.parse`` maps them to ``UNKNOWN``), and any RFC 3339 timestamp
is accepted: ``Z`` or an offset, and up to nine fraction digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

_RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$"
)


class WireError(ValueError):
    """A server answer this client cannot use at all (not merely one it does not know)."""


def parse_time(text: str) -> datetime:
    """An RFC 3339 timestamp as an aware UTC datetime (fractions beyond µs are cut)."""
    match = _RFC3339.match(text.strip())
    if match is None:
        raise WireError(f"not an RFC 3339 timestamp: {text!r}")
    day, clock, fraction, zone = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    base = datetime.fromisoformat(f"{day}T{clock}").replace(microsecond=micros)
    if zone in ("Z", "z"):
        return base.replace(tzinfo=UTC)
    sign = 1 if zone[0] == "+" else -1
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    return (base - sign * timedelta(hours=hours, minutes=minutes)).replace(tzinfo=UTC)


def parse_time_or_none(value: Any) -> datetime | None:
    return parse_time(value) if isinstance(value, str) and value else None


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    PREPARING = "PREPARING"
    READY = "READY"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def parse(cls, raw: str) -> OrderStatus:
        try:
            return cls(raw)
        except ValueError:
            return cls.UNKNOWN


@dataclass(frozen=True, slots=True)
class Change:
    """One feed entry: the resource snapshot at ``resource_version`` (or a tombstone)."""

    cursor: str
    type: str
    resource_type: str
    resource_id: str
    resource_version: int
    data: dict[str, Any]

    @property
    def deleted(self) -> bool:
        return bool(self.data.get("deleted")) or self.type.endswith(".deleted")

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Change:
        try:
            return cls(str(raw["cursor"]), str(raw.get("type", "")), str(raw["resource_type"]),
                       str(raw["resource_id"]), int(raw.get("resource_version") or 0),
                       dict(raw.get("data") or {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise WireError(f"a feed entry without {exc}") from exc


@dataclass(frozen=True, slots=True)
class FeedPage:
    """A feed page's cursor fields; its entries stay raw until :meth:`changes` parses them
    (on the database writer's thread: a thousand entries are too much work for the loop)."""

    entries: list[Any]
    next_cursor: str | None
    has_more: bool
    server_time: datetime | None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> FeedPage:
        return cls(list(raw.get("data") or []), raw.get("next_cursor"),
                   bool(raw.get("has_more")), parse_time_or_none(raw.get("server_time")))

    def changes(self) -> list[Change]:
        return [Change.parse(c) for c in self.entries]


@dataclass(frozen=True, slots=True)
class Tokens:
    device_id: str
    vendor_id: str
    access_token: str
    refresh_token: str
    expires_at: datetime

    @classmethod
    def parse(cls, raw: dict[str, Any], now: datetime) -> Tokens:
        try:
            return cls(str(raw.get("device_id") or ""), str(raw.get("vendor_id") or ""),
                       str(raw["access_token"]), str(raw["refresh_token"]),
                       now + timedelta(seconds=int(raw.get("expires_in") or 3600)))
        except KeyError as exc:
            raise WireError(f"the sign-in answer has no {exc}") from exc

    def to_json(self) -> dict[str, str]:
        return {"device_id": self.device_id, "vendor_id": self.vendor_id,
                "access_token": self.access_token, "refresh_token": self.refresh_token,
                "expires_at": self.expires_at.isoformat()}

    @classmethod
    def from_json(cls, raw: dict[str, str]) -> Tokens:
        return cls(raw["device_id"], raw["vendor_id"], raw["access_token"],
                   raw["refresh_token"], datetime.fromisoformat(raw["expires_at"]))


@dataclass(frozen=True, slots=True)
class Problem:
    """An RFC 9457 problem (or what could be made of a non-problem error answer)."""

    status: int
    code: str
    detail: str
    retry_after: float | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, status: int, raw: Any, retry_after: str | None) -> Problem:
        body = raw if isinstance(raw, dict) else {}
        code = str(body.get("code") or f"http_{status}")
        detail = str(body.get("detail") or body.get("title") or f"HTTP {status}")
        return cls(status, code, detail, parse_retry_after(retry_after), body)

    def explain(self) -> str:
        errors = self.raw.get("errors")
        if isinstance(errors, list) and errors:
            parts = [f"{e.get('pointer', '')}: {e.get('detail', '')}" for e in errors
                     if isinstance(e, dict)]
            return f"{self.detail} ({'; '.join(parts)})"
        return self.detail


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (a minimum: 0 means 1 s); HTTP dates are not used here."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(1.0, seconds)
