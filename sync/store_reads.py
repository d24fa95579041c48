"""The store and its reviews read live from the marketplace (the window reads the local
mirror instead: ``vendor_console.services.store_mirror``). Plain records; clients ignore
unknown fields."""

from __future__ import annotations

from typing import Any

from sync.client import ApiClient
from vendor_console.services.store_mirror import Review, StoreState


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
