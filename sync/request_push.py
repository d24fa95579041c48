"""Plain vendor writes from the outbox: store controls (pause, busy, resume, opening hours,
special days) and review replies. Each row is one request (method, path, body); a row that
replaces a versioned document (hours) names it in ``if_match_of`` and is sent with the
document's current version, read just before."""

from __future__ import annotations

from sync.client import ApiClient
from sync.outbox_store import OutRow
from sync.senders import Outcome


class RequestSender:
    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows[:1], rows[1:]

    async def send(self, batch: list[OutRow]) -> Outcome:
        row = batch[0]
        p = row.payload
        headers: dict[str, str] = {}
        if p.get("if_match_of"):
            current = await self._client.request("GET", str(p["if_match_of"]))
            headers["If-Match"] = f'"{current.body.get("version")}"'
        await self._client.request(str(p["method"]), str(p["path"]), json=p.get("body"),
                                   idempotency_key=row.idempotency_key, headers=headers)
        return Outcome(sent=[row])
