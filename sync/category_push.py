"""Category edits: ``POST /categories`` by ``client_ref``, ``PATCH``/``DELETE`` with ``If-Match``.

A category's ``client_ref`` is its local id (unique forever, like a product's). A child waits
for its parent to reach the marketplace; products wait for their category (catalog_push). On
``version_mismatch`` the edit is merged against the last-seen base like a product edit; a field
both sides changed is recorded as a conflict and the marketplace's value stands.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import orjson

from local_db.database import Database
from local_db.rawsql import dbapi
from sync.catalog_push import category_remote_ids, merge
from sync.client import ApiClient, ApiError
from sync.mirror import Mirror
from sync.outbox_store import OutRow
from sync.senders import Effect, Outcome
from sync.wire import Change

CATEGORY_API = ("name", "position", "parent_id")
TRIES = 4


class CategorySender:
    def __init__(self, client: ApiClient, db: Database) -> None:
        self._client = client
        self._db = db

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows[:1], rows[1:]

    def _context(self, category_id: str) -> dict[str, Any]:
        with self._db.read() as conn:
            raw = dbapi(conn)
            row = raw.execute("SELECT remote_id, version FROM categories WHERE id = ?",
                              (category_id,)).fetchone()
            base = None
            if row is not None and row[0] is not None:
                found = raw.execute("SELECT snapshot FROM sync_bases WHERE resource_type = "
                                    "'category' AND remote_id = ?", (row[0],)).fetchone()
                base = None if found is None else orjson.loads(found[0])
        return {"remote": None if row is None else row[0],
                "version": None if row is None else row[1], "base": base or {},
                "remotes": category_remote_ids(self._db)}

    async def send(self, batch: list[OutRow]) -> Outcome:
        row = batch[0]
        ctx = await asyncio.to_thread(self._context, row.resource_id)
        fields = {k: row.payload[k] for k in CATEGORY_API if k in row.payload}
        parent = fields.get("parent_id")
        if parent is not None:
            remote_parent = ctx["remotes"].get(str(parent))
            if remote_parent is None:
                return Outcome.retry_rows([row], "waiting for the parent category to reach the "
                                          "marketplace", None)
            fields["parent_id"] = remote_parent
        if row.operation == "create":
            return await self._create(row, fields)
        if ctx["remote"] is None:
            if row.operation == "delete" and row.resource_id not in ctx["remotes"]:
                return Outcome(sent=[row])
            return Outcome.retry_rows([row], "the category is not on the marketplace yet",
                                      None)
        if row.operation == "delete":
            return await self._delete(row, ctx)
        return await self._update(row, ctx, fields)

    async def _create(self, row: OutRow, fields: dict[str, Any]) -> Outcome:
        body = {**fields, "client_ref": str(row.payload.get("client_ref") or row.resource_id)}
        try:
            doc = (await self._client.request("POST", "/categories", json=body,
                                              idempotency_key=row.idempotency_key)).body
        except ApiError as exc:
            if exc.problem.code != "duplicate_client_ref":
                raise
            existing = str(exc.problem.raw.get("existing_id"))
            doc = await self._current(existing) or {"id": existing, "version": 0}
        return Outcome(sent=[row], effects=[_adopt(row.resource_id, doc)])

    async def _current(self, remote: str) -> dict[str, Any] | None:
        listing = (await self._client.request("GET", "/categories")).body
        return next((d for d in listing.get("data") or []
                     if isinstance(d, dict) and d.get("id") == remote), None)

    async def _delete(self, row: OutRow, ctx: dict[str, Any]) -> Outcome:
        version = ctx["version"]
        for attempt in range(TRIES):
            try:
                doc = (await self._client.request(
                    "DELETE", f"/categories/{ctx['remote']}",
                    idempotency_key=f"{row.idempotency_key}:{attempt}" if attempt
                    else row.idempotency_key, headers={"If-Match": f'"{version}"'})).body
                return Outcome(sent=[row], effects=[_apply(doc)])
            except ApiError as exc:
                if exc.problem.code == "not_found":
                    return Outcome(sent=[row])
                if exc.problem.code not in ("version_mismatch", "precondition_required"):
                    raise
                version = exc.problem.raw.get("current_version")
        return Outcome.retry_rows([row], "the category keeps changing on the marketplace", None)

    async def _update(self, row: OutRow, ctx: dict[str, Any],
                      fields: dict[str, Any]) -> Outcome:
        remote, version, base = ctx["remote"], ctx["version"], ctx["base"]
        conflicts: dict[str, Any] = {}
        for attempt in range(TRIES):
            if not fields:
                break
            try:
                doc = (await self._client.request(
                    "PATCH", f"/categories/{remote}", json=fields,
                    idempotency_key=f"{row.idempotency_key}:{attempt}" if attempt
                    else row.idempotency_key, headers={"If-Match": f'"{version}"'})).body
                return Outcome(sent=[row], effects=_settled(row.resource_id, doc, conflicts))
            except ApiError as exc:
                if exc.problem.code not in ("version_mismatch", "precondition_required"):
                    raise
            current = await self._current(remote)
            if current is None:  # deleted on the marketplace meanwhile: its tombstone wins
                return Outcome(sent=[row])
            fields, lost = merge(fields, {k: base[k] for k in fields if k in base},
                                 {k: current.get(k) for k in fields})
            conflicts.update(lost)
            version = int(current.get("version") or 0)
            base = current
        else:
            return Outcome.retry_rows([row], "the category keeps changing on the marketplace",
                                      None)
        current = await self._current(remote)
        return Outcome(sent=[row], effects=_settled(row.resource_id, current, conflicts))


def _adopt(category_id: str, doc: dict[str, Any]) -> Effect:
    def effect(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE categories SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                     (doc["id"], category_id))
        _apply(doc)(conn)
    return effect


def _apply(doc: dict[str, Any]) -> Effect:
    def effect(conn: sqlite3.Connection) -> None:
        Mirror(conn).apply([Change("", "category.pushed", "category", str(doc["id"]),
                                   int(doc.get("version") or 0), doc)])
    return effect


def _settled(category_id: str, doc: dict[str, Any] | None,
             conflicts: dict[str, Any]) -> list[Effect]:
    effects: list[Effect] = [] if doc is None else [_apply(doc)]
    if conflicts:
        message = ("Category edit conflicts with a change made on the marketplace: "
                   + ", ".join(sorted(conflicts)) + ". Choose which value to keep.")

        def record(conn: sqlite3.Connection) -> None:
            Mirror(conn).record_issue("conflict", "category", category_id, message,
                                      {"fields": conflicts})
        effects.append(record)
    return effects
