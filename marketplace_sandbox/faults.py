"""Fault injection (test mode only): per server (`Settings.faults`) or per request
(`X-Test-Fault: slow=2, dup_events`). Each knob is `name` or `name=value`.

| knob | effect |
|---|---|
| `rate_limit[=s]` | 429 quota_exceeded; Retry-After s (default 1; `absent` leaves it out) |
| `overload[=s]` | 503 temporarily_unavailable with Retry-After s (default 1) |
| `commit_then_500` | a write commits and is stored, then the answer is 500 internal_error |
| `slow[=s]` | the response waits s seconds (default 2) after the work is done |
| `concurrent_edit` | PATCH/PUT: a "dashboard" edit bumps the version first, so If-Match is stale |
| `dup_events[=n]` | SSE sends every event n times (default 2) |
| `reorder_events` | SSE sends each batch of events in reverse order (the feed stays ordered) |
| `drop_stream` | SSE cuts the stream in the middle of the first event |
| `expire_cursor` | GET /changes and the stream answer any cursor with 410 / resync_required |
| `partial_batch` | non-atomic batches reject every odd-indexed item (temporarily_unavailable) |
| `schema_drift` | JSON responses gain unknown members; server_time gets 9 fraction digits |
| `token_expiry` | every bearer token is answered with 401 token_expired |
| `clock_skew[=min]` | Date and server_time are shifted by min minutes (default +10) |
| `customer_cancel_race` | the customer cancels a PENDING order just before the vendor's action |
| `order_timeout[=s]` | orders placed get an accept window of s seconds (default 5) |
| `webhook_failures[=n]` | (server-wide) the first n attempts of each webhook batch fail unsent |
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from marketplace_sandbox.problems import Problem

KNOBS = frozenset({
    "rate_limit", "overload", "commit_then_500", "slow", "concurrent_edit", "dup_events",
    "reorder_events", "drop_stream", "expire_cursor", "partial_batch", "schema_drift",
    "token_expiry", "clock_skew", "customer_cancel_race", "order_timeout", "webhook_failures",
})

_NONE: Mapping[str, str] = MappingProxyType({})
faults_var: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar("faults",
                                                                              default=_NONE)


def parse(specs: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for spec in specs:
        for raw in spec.split(","):
            item = raw.strip()
            if not item:
                continue
            name, _, value = item.partition("=")
            name = name.strip()
            if name not in KNOBS:
                raise Problem(400, "malformed_request", f"Unknown fault {name!r}",
                              known_faults=sorted(KNOBS))
            out[name] = value.strip()
    return out


def active(name: str) -> str | None:
    """The knob's value ('' when given without one), or None when it is off."""
    return faults_var.get().get(name)


def number(name: str, default: float) -> float | None:
    value = active(name)
    if value is None:
        return None
    try:
        return float(value) if value else default
    except ValueError:
        return default
