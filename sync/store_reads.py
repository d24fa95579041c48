"""What the window shows of the store and its reviews, read from the marketplace (online
only: neither is mirrored). Plain records; clients ignore unknown fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.client import ApiClient
from sync.wire import parse_time_or_none


@dataclass(frozen=True, slots=True)
class StoreState:
    state: str  # ONLINE, PAUSED (unknown values kept)
    reason: str | None
    until: str | None
    busy_minutes: int
    hours: tuple[tuple[str, str, str], ...]
    special_days: tuple[dict[str, Any], ...]

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


def _hm(value: str | None) -> str:
    parsed = parse_time_or_none(value)
    return value or "" if parsed is None else parsed.astimezone().strftime("%d %b %H:%M")


def store_state(doc: dict[str, Any]) -> StoreState:
    pause = doc.get("pause") or {}
    busy = doc.get("busy") or {}
    hours = tuple((str(h.get("day")), str(h.get("open")), str(h.get("close")))
                  for h in doc.get("hours") or [] if isinstance(h, dict))
    special = tuple(s for s in doc.get("special_hours") or [] if isinstance(s, dict))
    return StoreState(str(pause.get("state") or "ONLINE"), pause.get("reason"),
                      pause.get("until"), int(busy.get("extra_prep_minutes") or 0), hours,
                      special)


async def fetch_store(client: ApiClient) -> StoreState:
    reply = await client.request("GET", "/vendor")
    return store_state(reply.body)


async def fetch_reviews(client: ApiClient, limit: int = 500) -> list[Review]:
    out: list[Review] = []
    after: str | None = None
    while len(out) < limit:
        params: dict[str, Any] = {"limit": 100} | ({"after": after} if after else {})
        page = (await client.request("GET", "/reviews", params=params)).body
        for doc in page.get("data") or []:
            reply = doc.get("reply") or {}
            customer = doc.get("customer") or {}
            out.append(Review(str(doc.get("id")), int(doc.get("rating") or 0),
                              str(doc.get("text") or ""),
                              str(customer.get("display_name") or doc.get("customer_name")
                                  or "Customer"),
                              str(doc.get("created_at") or ""), reply.get("text")))
        after = page.get("next_cursor")
        if not page.get("has_more") or not after:
            break
    return sorted(out, key=lambda r: r.created_at, reverse=True)
