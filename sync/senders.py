"""Senders for counter sales and stock movements, and the outcome every sender reports."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from local_db.database import Database
from local_db.rawsql import dbapi
from sync import switches
from sync.client import ApiClient
from sync.mirror import Mirror, qty
from sync.outbox_store import OutRow, acknowledge_movements
from vendor_console.ids import new_id
from vendor_console.quantities import format_quantity

Effect = Callable[[sqlite3.Connection], None]
INVENTORY_BATCH = 100
RETRYABLE_ITEM = {"temporarily_unavailable", "internal_error", "quota_exceeded"}


@dataclass
class Outcome:
    sent: list[OutRow] = field(default_factory=list)
    retry: list[OutRow] = field(default_factory=list)
    dead: list[tuple[OutRow, str]] = field(default_factory=list)
    discarded: list[tuple[OutRow, str]] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    error: str = ""
    retry_after: float | None = None
    breaker_failure: bool = False
    stop_lane: bool = False

    @classmethod
    def retry_rows(cls, rows: list[OutRow], error: str, retry_after: float | None, *,
                   breaker: bool = False) -> Outcome:
        return cls(retry=list(rows), error=error, retry_after=retry_after,
                   breaker_failure=breaker, stop_lane=True)

    @classmethod
    def dead_rows(cls, rows: list[OutRow], reason: str) -> Outcome:
        return cls(dead=[(r, reason) for r in rows], error=reason)


class Sender(Protocol):
    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        """The next batch to send from a lane, and the rest."""
        ...

    async def send(self, batch: list[OutRow]) -> Outcome:
        ...


class Remote:
    """Local id -> marketplace id, for variants and locations (cached once known)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[tuple[str, str], tuple[str, int]] = {}

    def sale_status(self, sale_id: str) -> str | None:
        with self._db.read() as conn:
            row = dbapi(conn).execute("SELECT status FROM outbox WHERE resource_type = 'sale' "
                                      "AND resource_id = ?", (sale_id,)).fetchone()
        return None if row is None else str(row[0])

    def lookup(self, table: str, ids: set[str]) -> dict[str, tuple[str, int]]:
        """``{local id: (remote id, precision)}`` for the ids that have a remote id."""
        missing = [i for i in ids if (table, i) not in self._cache]
        if missing:
            with self._db.read() as conn:
                raw = dbapi(conn)
                for chunk in range(0, len(missing), 500):
                    part = missing[chunk:chunk + 500]
                    marks = ", ".join("?" * len(part))
                    cols = "id, remote_id, precision" if table == "variants" else \
                        "id, remote_id, 0"
                    for lid, rid, precision in raw.execute(
                            f"SELECT {cols} FROM {table} WHERE id IN ({marks}) "
                            "AND remote_id IS NOT NULL", part):
                        self._cache[(table, lid)] = (rid, int(precision or 0))
        return {i: self._cache[(table, i)] for i in ids if (table, i) in self._cache}


def _money(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {"amount": 0, "currency": "EUR"}


class SaleSender:
    """``POST /sales``: one sale and the stock movements it carries."""

    def __init__(self, client: ApiClient, remote: Remote) -> None:
        self._client = client
        self._remote = remote

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows, []

    async def send(self, batch: list[OutRow]) -> Outcome:
        carried = [r for r in batch if r.resource_type == "inventory_change"]
        sale = next((r for r in batch if r.resource_type == "sale"), None)
        if sale is None:  # the sale went without them (or waits as a dead letter)
            ref = str(carried[0].payload.get("reference") or "")[5:]
            status = await asyncio.to_thread(self._remote.sale_status, ref)
            if status != "SENT":
                return Outcome(stop_lane=True)
            movement_ids = [r.resource_id for r in carried]
            return Outcome(sent=list(batch),
                           effects=[lambda conn: acknowledge_movements(conn, movement_ids)])
        p = sale.payload
        variants = {str(ln["variant_id"]) for ln in p.get("lines") or [] if ln.get("variant_id")}
        vmap = await asyncio.to_thread(self._remote.lookup, "variants", variants)
        lmap = await asyncio.to_thread(self._remote.lookup, "locations", {str(p["location_id"])})
        if str(p["location_id"]) not in lmap:
            return Outcome.retry_rows(batch, "waiting for the first sync of the shop's "
                                      "location", None)
        if variants - set(vmap):  # its product's create is still on its way
            return Outcome.retry_rows(batch, "waiting for a new product to reach the "
                                      "marketplace", None)
        sale_id = str(p["id"])
        if switches.enabled(switches.NO_IDEMPOTENCY):
            sale_id = f"{sale_id}:{new_id()[-8:]}"  # the bug the switch shows
        body: dict[str, Any] = {
            "sale_id": sale_id, "location_id": lmap[str(p["location_id"])][0],
            "occurred_at": p["completed_at"], "kind": p.get("kind") or "SALE",
            "number": str(p.get("receipt_number") or "")[:50] or None,
            "lines": [
                {"variant_id": vmap.get(str(ln.get("variant_id")), (None, 0))[0],
                 "name": str(ln.get("name") or "Item")[:200], "quantity": ln["quantity"],
                 "unit_price": _money(ln.get("unit_price")), "total": _money(ln.get("total"))}
                for ln in p.get("lines") or []
            ],
            "tenders": [{"type": str(t.get("kind") or "OTHER").upper(),
                         "amount": _money(t.get("amount"))} for t in p.get("tenders") or []],
            "taxes": [{"code": f"RATE_{t.get('rate_bp', 0)}", "amount": _money(t.get("tax"))}
                      for t in p.get("taxes") or []],
            "total": _money(p.get("total")),
        }
        if body["kind"] == "REFUND":
            body["refund_of"] = p.get("original_sale_id")
        await self._client.request("POST", "/sales", json=body,
                                   idempotency_key=sale.idempotency_key)
        movement_ids = [r.resource_id for r in carried]
        return Outcome(sent=list(batch),
                       effects=[lambda conn: acknowledge_movements(conn, movement_ids)])


class InventorySender:
    """``POST /inventory/changes``: stock edits and counts, up to 100 per request."""

    def __init__(self, client: ApiClient, remote: Remote) -> None:
        self._client = client
        self._remote = remote
        # Counts whose expected value no longer matched the server (an online order moved
        # stock meanwhile): sent again as the plain count, which the server orders by time.
        self._no_expect: set[str] = set()

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows[:INVENTORY_BATCH], rows[INVENTORY_BATCH:]

    async def send(self, batch: list[OutRow]) -> Outcome:  # noqa: PLR0912, PLR0915
        vmap = await asyncio.to_thread(self._remote.lookup, "variants",
                                       {str(r.payload["variant_id"]) for r in batch})
        lmap = await asyncio.to_thread(self._remote.lookup, "locations",
                                       {str(r.payload["location_id"]) for r in batch})
        out = Outcome()
        items: list[tuple[OutRow, dict[str, Any]]] = []
        unmapped: list[OutRow] = []
        for row in batch:
            p = row.payload
            variant = vmap.get(str(p["variant_id"]))
            location = lmap.get(str(p["location_id"]))
            if variant is None or location is None:
                unmapped.append(row)
                continue
            remote_variant, precision = variant
            change_id = str(p["client_change_id"])
            if switches.enabled(switches.NO_IDEMPOTENCY):
                change_id = f"{change_id}:{new_id()[-8:]}"
            item: dict[str, Any] = {
                "type": p["type"], "client_change_id": change_id,
                "variant_id": remote_variant, "location_id": location[0],
                "occurred_at": p["occurred_at"],
            }
            if p["type"] == "PHYSICAL_COUNT":
                item["quantity"] = format_quantity(int(p["quantity"]), precision)
                if p.get("expected_on_hand") is not None and row.id not in self._no_expect:
                    item["expected_on_hand"] = format_quantity(int(p["expected_on_hand"]),
                                                               precision)
            else:
                item["delta"] = format_quantity(int(p["delta"]), precision)
                item["reason"] = p.get("reason") or "other"
                ref = str(p.get("reference") or "")
                if ":" in ref:
                    kind, _, ref_id = ref.partition(":")
                    item["reference"] = {"type": kind, "id": ref_id}
            items.append((row, item))
        if unmapped:
            out.retry.extend(unmapped)
            out.error = "a product is not on the marketplace yet"
        if not items:
            out.stop_lane = True
            return out
        reply = await self._client.request(
            "POST", "/inventory/changes", json={"atomic": False,
                                                "changes": [i for _, i in items]},
            idempotency_key=_batch_key(items, self._no_expect))
        results = reply.body.get("results") or []
        acked: list[str] = []
        levels: list[dict[str, Any]] = []
        for index, (row, _item) in enumerate(items):
            res = results[index] if index < len(results) else {}
            status = res.get("status")
            if status in ("applied", "duplicate"):
                out.sent.append(row)
                acked.append(row.resource_id)
                if isinstance(res.get("level"), dict):
                    levels.append(res["level"])
            else:
                problem = res.get("problem") or {}
                code = str(problem.get("code") or "rejected")
                if code == "quantity_mismatch" and row.id not in self._no_expect:
                    self._no_expect.add(row.id)
                    out.retry.append(row)
                    out.error = f"{code}: {problem.get('detail', '')}"
                elif code in RETRYABLE_ITEM:
                    out.retry.append(row)
                    out.error = f"{code}: {problem.get('detail', '')}"
                else:
                    out.dead.append((row, f"{code}: {problem.get('detail', 'rejected')}"))

        def effect(conn: sqlite3.Connection) -> None:
            acknowledge_movements(conn, acked)
            mirror = Mirror(conn)
            for level in levels:
                variant = mirror.local_id("variants", level.get("variant_id"))
                location = mirror.local_id("locations", level.get("location_id"))
                if variant is None or location is None:
                    continue
                row = conn.execute("SELECT server_version FROM stock_levels WHERE "
                                   "variant_id = ? AND location_id = ?",
                                   (variant, location)).fetchone()
                version = int(level.get("version") or 0)
                if row is None or row[0] is None or row[0] < version:
                    mirror.set_level(variant, location, qty(level.get("on_hand")), version)

        out.effects.append(effect)
        return out


def _batch_key(items: list[tuple[OutRow, dict[str, Any]]], plain: set[str]) -> str:
    """A batch's Idempotency-Key: a single row's own key, or one derived from the rows' keys,
    stable for the same rows (the natural keys inside still protect against doubles if a batch
    is re-formed differently after a restart). A count re-sent without its expected value is
    a different request, so it gets a derived key."""
    import hashlib

    if len(items) == 1 and items[0][0].id not in plain:
        return items[0][0].idempotency_key
    joined = "|".join(row.idempotency_key + ("~" if row.id in plain else "")
                      for row, _ in items)
    digest = hashlib.sha256(joined.encode()).hexdigest()[:32]
    return f"batch-{digest}"
