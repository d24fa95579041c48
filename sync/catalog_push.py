"""Catalog edits: creates by ``client_ref``, edits with ``If-Match``.

On ``version_mismatch`` the edit is merged field by field against the last-seen base (the
server snapshot in ``sync_bases``): a field the server did not change since the base is sent
again with the new version; a field both sides changed to different values is a true conflict,
recorded for the user to choose (the server's value stays until they do).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

import orjson

from local_db.database import Database
from local_db.rawsql import dbapi
from sync.client import ApiClient, ApiError
from sync.mirror import Mirror
from sync.outbox_store import OutRow
from sync.senders import Outcome
from sync.wire import Change

PRODUCT_API = ("name", "description", "visibility", "dietary_tags")
UNITS_OUT = {"pc": "each"}
Effect = Callable[[sqlite3.Connection], None]


def product_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in PRODUCT_API if k in values}


def variant_fields(values: dict[str, Any], currency: str, tax_codes: dict[str, str]) \
        -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("price", "compare_at_price", "cost"):
            out[key] = None if value is None else {"amount": int(value), "currency": currency}
        elif key == "unit":
            out[key] = UNITS_OUT.get(str(value), str(value))
        elif key == "tax_rate_id":
            out["tax_code"] = tax_codes.get(str(value)) if value else None
        elif key in ("name", "options", "sku", "barcode", "precision", "track_inventory",
                     "inventory_policy", "position"):
            out[key] = value
    if out.get("name") == "":
        out["name"] = "Default"
    return out


def merge(mine: dict[str, Any], base: dict[str, Any], theirs: dict[str, Any]) \
        -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Field-by-field three-way merge: (what to send again, true conflicts)."""
    resend: dict[str, Any] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    for field, value in mine.items():
        server = theirs.get(field)
        if server == value:
            continue  # both sides agree already
        if field not in base or base.get(field) == server:
            resend[field] = value  # only we changed it
        else:
            conflicts[field] = {"mine": value, "theirs": server, "base": base.get(field)}
    return resend, conflicts


class CatalogSender:
    def __init__(self, client: ApiClient, db: Database) -> None:
        self._client = client
        self._db = db

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows[:1], rows[1:]

    def _context(self, product_id: str) -> dict[str, Any]:
        with self._db.read() as conn:
            raw = dbapi(conn)
            shop = raw.execute("SELECT currency FROM shop").fetchone()
            product = raw.execute("SELECT remote_id, version FROM products WHERE id = ?",
                                  (product_id,)).fetchone()
            variants = {r[0]: (r[1], r[2]) for r in raw.execute(
                "SELECT id, remote_id, version FROM variants WHERE product_id = ?",
                (product_id,))}
            taxes = {r[0]: r[1] for r in raw.execute("SELECT id, code FROM tax_rates")}
            bases = {r[0]: orjson.loads(r[1]) for r in raw.execute(
                "SELECT remote_id, snapshot FROM sync_bases")} if product else {}
        return {"currency": shop[0] if shop else "EUR",
                "remote": product[0] if product else None,
                "version": product[1] if product else None, "variants": variants,
                "taxes": taxes, "bases": bases}

    async def send(self, batch: list[OutRow]) -> Outcome:
        row = batch[0]
        if row.resource_type == "category":
            return Outcome(sent=[row])  # categories stay local in this version (see report)
        ctx = await asyncio.to_thread(self._context, row.resource_id)
        if row.operation == "create":
            return await self._create(row, ctx)
        if ctx["remote"] is None:
            return Outcome.retry_rows([row], "the product is not on the marketplace yet", None)
        if row.operation == "delete":
            return await self._delete(row, ctx)
        return await self._update(row, ctx)

    async def _create(self, row: OutRow, ctx: dict[str, Any]) -> Outcome:
        p = row.payload
        body = {**product_fields(p), "client_ref": p["client_ref"], "variants": [
            {**variant_fields({k: v for k, v in var.items() if k not in ("id", "client_ref")},
                              ctx["currency"], ctx["taxes"]), "client_ref": var["client_ref"]}
            for var in p.get("variants") or []]}
        try:
            reply = await self._client.request("POST", "/products", json=body,
                                               idempotency_key=row.idempotency_key)
            doc = reply.body
        except ApiError as exc:
            if exc.problem.code != "duplicate_client_ref":
                raise
            existing = exc.problem.raw.get("existing_id")
            doc = (await self._client.request("GET", f"/products/{existing}")).body
        return Outcome(sent=[row], effects=[self._adopt(row.resource_id, doc)])

    def _adopt(self, product_id: str, doc: dict[str, Any]) -> Effect:
        def effect(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE products SET remote_id = ? WHERE id = ? AND remote_id IS NULL",
                         (doc["id"], product_id))
            for var in doc.get("variants") or []:
                if var.get("client_ref"):
                    conn.execute("UPDATE variants SET remote_id = ? WHERE client_ref = ? AND "
                                 "remote_id IS NULL", (var["id"], var["client_ref"]))
            Mirror(conn).apply([Change("", "product.pushed", "product", str(doc["id"]),
                                       int(doc.get("version") or 0), doc)])
        return effect

    async def _delete(self, row: OutRow, ctx: dict[str, Any]) -> Outcome:
        for _ in range(3):
            try:
                await self._client.request(
                    "DELETE", f"/products/{ctx['remote']}", idempotency_key=row.idempotency_key,
                    headers={"If-Match": f'"{ctx["version"]}"'})
                return Outcome(sent=[row])
            except ApiError as exc:
                if exc.problem.code == "not_found":
                    return Outcome(sent=[row])
                if exc.problem.code != "version_mismatch":
                    raise
                ctx["version"] = exc.problem.raw.get("current_version")
        return Outcome.retry_rows([row], "the product keeps changing on the marketplace", None)

    async def _update(self, row: OutRow, ctx: dict[str, Any]) -> Outcome:  # noqa: PLR0912
        p = row.payload
        effects: list[Effect] = []
        conflicts: dict[str, Any] = {}
        changes = product_fields(p.get("changes") or {})
        base_version = p.get("base_version") or ctx["version"]
        if changes:
            doc, lost = await self._patch("product", ctx["remote"], base_version, changes,
                                          ctx["bases"].get(ctx["remote"], {}), row)
            conflicts.update(lost)
            if doc is not None:
                effects.append(_apply_doc("product", doc))
        variants = p.get("variants") or {}
        for edit in variants.get("update") or []:
            remote, version = ctx["variants"].get(edit["id"], (None, None))
            if remote is None:
                continue
            fields = variant_fields({k: v for k, v in edit.items()
                                     if k not in ("id", "client_ref")},
                                    ctx["currency"], ctx["taxes"])
            if not fields:
                continue
            doc, lost = await self._patch("variant", remote, version, fields,
                                          ctx["bases"].get(remote, {}), row)
            conflicts.update({f"{edit['id']}.{k}": v for k, v in lost.items()})
            if doc is not None:
                effects.append(_apply_doc("variant", doc))
        for new in variants.get("create") or []:
            body = {**variant_fields({k: v for k, v in new.items()
                                      if k not in ("id", "client_ref")},
                                     ctx["currency"], ctx["taxes"]),
                    "client_ref": new["client_ref"]}
            try:
                await self._client.request("POST", f"/products/{ctx['remote']}/variants",
                                           json=body, idempotency_key=f"{row.idempotency_key}"
                                           f":{new['client_ref']}")
            except ApiError as exc:
                if exc.problem.code != "duplicate_client_ref":
                    raise
        for gone in variants.get("delete") or []:
            remote, version = ctx["variants"].get(gone["id"], (None, None))
            if remote is None:
                continue
            try:
                await self._client.request("DELETE", f"/variants/{remote}",
                                           idempotency_key=f"{row.idempotency_key}:{remote}",
                                           headers={"If-Match": f'"{version}"'})
            except ApiError as exc:
                if exc.problem.code not in ("not_found", "version_mismatch"):
                    raise
        current = (await self._client.request("GET", f"/products/{ctx['remote']}")).body
        effects.append(_apply_doc("product", current))  # the truth after the merge
        if conflicts:
            message = ("Catalog edit conflicts with a change made on the marketplace: "
                       + ", ".join(sorted(conflicts)) + ". Choose which value to keep.")
            product_id = row.resource_id

            def record(conn: sqlite3.Connection) -> None:
                Mirror(conn).record_issue("conflict", "product", product_id, message,
                                          {"fields": conflicts})
            effects.append(record)
        return Outcome(sent=[row], effects=effects)

    async def _patch(self, kind: str, remote: str, version: int | None,  # noqa: PLR0917
                     fields: dict[str, Any], base: dict[str, Any], row: OutRow) \
            -> tuple[dict[str, Any] | None, dict[str, Any]]:
        path = f"/{kind}s/{remote}"
        key = f"{row.idempotency_key}:{remote}"
        last: ApiError | None = None
        for attempt in range(4):
            try:
                reply = await self._client.request(
                    "PATCH", path, json=fields, idempotency_key=f"{key}:{attempt}"
                    if attempt else key, headers={"If-Match": f'"{version}"'})
                return reply.body, {}
            except ApiError as exc:
                if exc.problem.code not in ("version_mismatch", "precondition_required"):
                    raise
                last = exc
            current = (await self._client.request("GET", path)).body
            theirs = {k: current.get(k) for k in fields}
            base = {k: base[k] for k in fields if k in base}
            resend, conflicts = merge(fields, base, theirs)
            version = int(current.get("version") or 0)
            if not resend:
                return current, conflicts
            fields = resend
            if conflicts:
                reply = await self._client.request(
                    "PATCH", path, json=fields, idempotency_key=f"{key}:m{attempt}",
                    headers={"If-Match": f'"{version}"'})
                return reply.body, conflicts
        assert last is not None
        raise last


def _apply_doc(kind: str, doc: dict[str, Any]) -> Effect:
    def effect(conn: sqlite3.Connection) -> None:
        Mirror(conn).apply([Change("", f"{kind}.pushed", kind, str(doc["id"]),
                                   int(doc.get("version") or 0), doc)])
    return effect
