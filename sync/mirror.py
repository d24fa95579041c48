"""Applying server resources to the local mirror, inside the caller's write transaction.

The newer-version rule: a snapshot applies only when its version is newer than the one stored,
so duplicates, replays and reordering are harmless. Deletes are tombstones (``archived_at``),
so late offline references still resolve. Stock: local on-hand = the server's level plus the
local movements the server has not acknowledged yet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from local_db.types import format_utc, utc_now
from sync.mirror_store import apply_review, apply_vendor
from sync.wire import Change, OrderStatus, parse_time_or_none
from vendor_console.ids import new_id

QTY_SCALE = 1000
UNITS_IN = {"each": "pc", "piece": "pc", "pc": "pc", "g": "g", "kg": "kg", "ml": "ml",
            "l": "l", "m": "m"}
_ORDER_KNOWN = {
    "id", "number", "version", "status", "location_id", "accept_by", "acknowledged_at",
    "fulfillment", "customer", "line_items", "totals", "status_history", "created_at",
    "updated_at", "completed_at",
}


@dataclass
class Applied:
    """What a batch of changes did, for change sets, status and alerts."""

    rows: int = 0
    skipped_stale: int = 0
    products: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    orders: set[str] = field(default_factory=set)
    stock: set[str] = field(default_factory=set)
    reviews: set[str] = field(default_factory=set)
    store: bool = False
    issues: int = 0


def qty(text: Any) -> int:
    try:
        return int(Decimal(str(text)) * QTY_SCALE)
    except (InvalidOperation, ValueError):
        return 0


def _amount(money: Any) -> int | None:
    if isinstance(money, dict) and isinstance(money.get("amount"), int):
        return int(money["amount"])
    return None


def _ts(value: Any) -> str | None:
    parsed = parse_time_or_none(value)
    return None if parsed is None else format_utc(parsed)


_PREFETCH = 500  # ids per look-up query (SQLite allows 32,766 parameters)


class Mirror:
    """Applies changes on one DB-API connection (the writer's, inside its transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.now = format_utc(utc_now())
        self.out = Applied()
        self._remote: dict[tuple[str, str], str | None] = {}

    # -- id maps ------------------------------------------------------------------------------
    def local_id(self, table: str, remote_id: str | None) -> str | None:
        if not remote_id:
            return None
        key = (table, remote_id)
        if key not in self._remote:
            row = self.conn.execute(f"SELECT id FROM {table} WHERE remote_id = ?",
                                    (remote_id,)).fetchone()
            self._remote[key] = None if row is None else str(row[0])
        return self._remote[key]

    def _remember(self, table: str, remote_id: str, local_id: str) -> None:
        self._remote[(table, remote_id)] = local_id

    def _version(self, table: str, remote_id: str) -> tuple[str, int | None] | None:
        row = self.conn.execute(f"SELECT id, version FROM {table} WHERE remote_id = ?",
                                (remote_id,)).fetchone()
        return None if row is None else (str(row[0]), row[1])

    # -- dispatch -----------------------------------------------------------------------------
    def prefetch(self, table: str, remote_ids: Iterable[str]) -> None:
        """Look up many remote ids at once (an order page names thousands of variants; one
        query each was a large share of the first sync's time). Ids not found are left to
        :meth:`local_id`, which sees rows this page inserts."""
        wanted = sorted({r for r in remote_ids if r and (table, r) not in self._remote})
        for start in range(0, len(wanted), _PREFETCH):
            chunk = wanted[start:start + _PREFETCH]
            marks = ", ".join("?" * len(chunk))
            for remote_id, local in self.conn.execute(
                    f"SELECT remote_id, id FROM {table} WHERE remote_id IN ({marks})", chunk):
                self._remote[(table, str(remote_id))] = str(local)

    def apply(self, changes: Iterable[Change]) -> Applied:
        changes = list(changes)
        self.prefetch("variants", (
            str(line.get("variant_id") or "") for c in changes if c.resource_type == "order"
            for line in c.data.get("line_items") or [] if isinstance(line, dict)))
        for change in changes:
            handler = getattr(self, "_" + change.resource_type, None)
            if handler is None:  # a resource this client does not mirror (or does not know)
                continue
            self.out.rows += 1
            handler(change)
        return self.out

    def _base(self, change: Change) -> None:
        self.conn.execute(
            "INSERT INTO sync_bases (resource_type, remote_id, version, snapshot) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (resource_type, remote_id) DO UPDATE SET "
            "version = excluded.version, snapshot = excluded.snapshot",
            (change.resource_type, change.resource_id, change.resource_version,
             orjson.dumps(change.data).decode()))

    # -- reviews and the store's state (sync.mirror_store) ------------------------------------
    def _review(self, change: Change) -> None:
        if apply_review(self.conn, change, self.now):
            self.out.reviews.add(change.resource_id)
        else:
            self.out.skipped_stale += 1

    def _vendor(self, change: Change) -> None:
        if apply_vendor(self.conn, change, self.now):
            self.out.store = True
        else:
            self.out.skipped_stale += 1

    # -- locations ----------------------------------------------------------------------------
    def _location(self, change: Change) -> None:
        found = self._version("locations", change.resource_id)
        if found is None:
            default = self.conn.execute(
                "SELECT id FROM locations WHERE remote_id IS NULL ORDER BY is_default DESC "
                "LIMIT 1").fetchone()
            if default is None:
                return
            self.conn.execute("UPDATE locations SET remote_id = ?, version = ? WHERE id = ?",
                              (change.resource_id, change.resource_version, default[0]))
            self._remember("locations", change.resource_id, str(default[0]))
        elif found[1] is None or found[1] < change.resource_version:
            self.conn.execute("UPDATE locations SET version = ? WHERE id = ?",
                              (change.resource_version, found[0]))

    # -- catalog ------------------------------------------------------------------------------
    def _category(self, change: Change) -> None:
        d = change.data
        found = self._version("categories", change.resource_id)
        if found is None and d.get("client_ref"):  # our own create, echoed by the feed
            row = self.conn.execute("SELECT id, version FROM categories WHERE id = ? AND "
                                    "remote_id IS NULL", (d["client_ref"],)).fetchone()
            if row is not None:
                found = (str(row[0]), row[1])
                self.conn.execute("UPDATE categories SET remote_id = ? WHERE id = ?",
                                  (change.resource_id, row[0]))
        if found is not None and found[1] is not None and found[1] >= change.resource_version:
            self.out.skipped_stale += 1
            return
        if found is not None and self.conn.execute(
                "SELECT 1 FROM outbox WHERE resource_type = 'category' AND resource_id = ? AND "
                "status = 'PENDING' AND operation = 'update' LIMIT 1", (found[0],)
        ).fetchone() is not None:
            return  # the pending edit is merged against the base when it is sent
        self._base(change)
        if change.deleted:  # a tombstone: archived, so products and sales still resolve it
            if found is not None:
                self.conn.execute("UPDATE categories SET archived_at = ?, version = ?, "
                                  "updated_at = ? WHERE id = ?",
                                  (self.now, change.resource_version, self.now, found[0]))
                self.out.categories.add(found[0])
            return
        values = (str(d.get("name") or "?")[:200], self.local_id("categories", d.get("parent_id")),
                  int(d.get("position") or 0), change.resource_version, self.now)
        if found is None:
            local = new_id()
            self.conn.execute(
                "INSERT INTO categories (name, parent_id, position, version, updated_at, id, "
                "remote_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, local, change.resource_id, self.now))
        else:
            local = found[0]
            self.conn.execute("UPDATE categories SET name = ?, parent_id = ?, position = ?, "
                              "version = ?, updated_at = ?, archived_at = NULL WHERE id = ?",
                              (*values, local))
        self._remember("categories", change.resource_id, local)
        self.out.categories.add(local)

    def _product(self, change: Change) -> None:
        d = change.data
        found = self._version("products", change.resource_id)
        if found is None and d.get("client_ref"):
            row = self.conn.execute("SELECT id, version FROM products WHERE client_ref = ?",
                                    (d["client_ref"],)).fetchone()
            if row is not None:
                found = (str(row[0]), row[1])
                self.conn.execute("UPDATE products SET remote_id = ? WHERE id = ?",
                                  (change.resource_id, row[0]))
        if found is not None and found[1] is not None and found[1] >= change.resource_version:
            self.out.skipped_stale += 1
            return
        if found is not None and self._edit_pending(found[0]):
            return  # the pending edit is merged against the base when it is sent
        self._base(change)
        archived = self.now if change.deleted else None
        if found is None:
            if change.deleted:
                return
            local = new_id()
            self.conn.execute(
                "INSERT INTO products (id, client_ref, name, description, dietary_tags, "
                "visibility, availability, search_keywords, remote_id, version, archived_at, "
                "created_at, updated_at, category_id) VALUES "
                "(?, ?, ?, ?, ?, ?, 'AVAILABLE', '', ?, ?, ?, ?, ?, ?)",
                (local, d.get("client_ref") or local, str(d.get("name") or "?")[:200],
                 d.get("description"), orjson.dumps(d.get("dietary_tags") or []).decode(),
                 "HIDDEN" if d.get("visibility") == "HIDDEN" else "VISIBLE",
                 change.resource_id, change.resource_version, archived, self.now, self.now,
                 self.local_id("categories", d.get("category_id"))))
            self._remember("products", change.resource_id, local)
        else:
            local = found[0]
            if change.deleted:
                self.conn.execute("UPDATE products SET archived_at = ?, version = ?, "
                                  "updated_at = ? WHERE id = ?",
                                  (archived, change.resource_version, self.now, local))
            else:
                self.conn.execute(
                    "UPDATE products SET name = ?, description = ?, dietary_tags = ?, "
                    "visibility = ?, version = ?, archived_at = NULL, updated_at = ?, "
                    "category_id = ? WHERE id = ?",
                    (str(d.get("name") or "?")[:200], d.get("description"),
                     orjson.dumps(d.get("dietary_tags") or []).decode(),
                     "HIDDEN" if d.get("visibility") == "HIDDEN" else "VISIBLE",
                     change.resource_version, self.now,
                     self.local_id("categories", d.get("category_id")), local))
        self.out.products.add(local)
        for variant in d.get("variants") or []:  # listings embed the live variants
            if isinstance(variant, dict) and variant.get("id"):
                self._variant(Change(change.cursor, "variant.listed", "variant",
                                     str(variant["id"]), int(variant.get("version") or 0),
                                     variant))

    def _variant(self, change: Change) -> None:
        d = change.data
        found = self._version("variants", change.resource_id)
        if found is not None and found[1] is not None and found[1] >= change.resource_version:
            self.out.skipped_stale += 1
            return
        owner = self.local_id("products", d.get("product_id"))
        if owner is not None and self._edit_pending(owner):
            return  # merged when the pending edit is sent
        self._base(change)
        if change.deleted:
            if found is not None:
                self.conn.execute("UPDATE variants SET archived_at = ?, version = ? WHERE id = ?",
                                  (self.now, change.resource_version, found[0]))
            return
        product = self.local_id("products", d.get("product_id"))
        if product is None:
            return  # its product arrives first in feed order; a listing embeds it
        tax = None
        if d.get("tax_code"):
            row = self.conn.execute("SELECT id FROM tax_rates WHERE code = ?",
                                    (d["tax_code"],)).fetchone()
            tax = None if row is None else row[0]
        values = (
            product, str(d.get("name") or "")[:200], orjson.dumps(d.get("options") or {}).decode(),
            d.get("sku"), d.get("barcode"), _amount(d.get("price")) or 0,
            _amount(d.get("compare_at_price")), _amount(d.get("cost")), tax,
            UNITS_IN.get(str(d.get("unit") or "each"), "pc"),
            min(3, max(0, int(d.get("precision") or 0))), bool(d.get("track_inventory", True)),
            "CONTINUE" if d.get("inventory_policy") == "CONTINUE" else "DENY",
            int(d.get("position") or 0), change.resource_version,
        )
        local = found[0] if found is not None else new_id()
        for attempt in (0, 1):
            try:
                if found is None:
                    self.conn.execute(
                        "INSERT INTO variants (product_id, name, options, sku, barcode, price, "
                        "compare_at_price, cost, tax_rate_id, unit, precision, track_inventory, "
                        "inventory_policy, position, version, id, client_ref, remote_id, "
                        "created_at, updated_at) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, local, d.get("client_ref") or local, change.resource_id,
                         self.now, self.now))
                else:
                    self.conn.execute(
                        "UPDATE variants SET product_id = ?, name = ?, options = ?, sku = ?, "
                        "barcode = ?, price = ?, compare_at_price = ?, cost = ?, "
                        "tax_rate_id = ?, unit = ?, precision = ?, track_inventory = ?, "
                        "inventory_policy = ?, position = ?, version = ?, archived_at = NULL, "
                        "updated_at = ? WHERE id = ?", (*values, self.now, local))
                break
            except sqlite3.IntegrityError:
                if attempt:
                    raise
                # A local variant holds the same SKU/barcode: keep the server's row, unlabelled.
                values = (*values[:3], None, None, *values[5:])
        self._remember("variants", change.resource_id, local)
        self.out.products.add(product)

    def _edit_pending(self, product_id: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM outbox WHERE resource_type = 'product' AND resource_id = ? AND "
            "status = 'PENDING' AND operation != 'create' LIMIT 1", (product_id,)
        ).fetchone() is not None

    # -- stock --------------------------------------------------------------------------------
    def _inventory_level(self, change: Change) -> None:
        d = change.data
        variant = self.local_id("variants", d.get("variant_id"))
        location = self.local_id("locations", d.get("location_id"))
        if variant is None or location is None:
            return
        version = int(d.get("version") or change.resource_version)
        row = self.conn.execute(
            "SELECT server_version FROM stock_levels WHERE variant_id = ? AND location_id = ?",
            (variant, location)).fetchone()
        if row is not None and row[0] is not None and row[0] >= version:
            self.out.skipped_stale += 1
            return
        server = qty(d.get("on_hand"))
        self.set_level(variant, location, server, version)
        available = qty(d.get("available", d.get("on_hand")))
        if server < 0 or available < 0:
            self.alert_stock(variant, location, server, available)

    def set_level(self, variant: str, location: str, server: int, version: int | None) -> None:
        pending = self.conn.execute(
            "SELECT COALESCE(SUM(delta), 0) FROM stock_movements WHERE variant_id = ? AND "
            "location_id = ? AND acknowledged_at IS NULL", (variant, location)).fetchone()[0]
        self.conn.execute(
            "INSERT INTO stock_levels (variant_id, location_id, on_hand, server_on_hand, "
            "server_version) VALUES (?, ?, ?, ?, ?) ON CONFLICT (variant_id, location_id) DO "
            "UPDATE SET on_hand = excluded.on_hand, server_on_hand = excluded.server_on_hand, "
            "server_version = COALESCE(excluded.server_version, server_version)",
            (variant, location, server + int(pending), server, version))
        self.out.stock.add(variant)

    def alert_stock(self, variant: str, location: str, on_hand: int, available: int) -> None:
        kind = "negative_stock" if on_hand < 0 else "oversell"
        exists = self.conn.execute(
            "SELECT 1 FROM sync_issues WHERE kind = ? AND resource_id = ? AND resolved_at IS NULL",
            (kind, variant)).fetchone()
        if exists:
            return
        name = self.conn.execute(
            "SELECT p.name || CASE WHEN v.name != '' THEN ' – ' || v.name ELSE '' END "
            "FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id = ?",
            (variant,)).fetchone()
        label = name[0] if name else variant
        if kind == "negative_stock":
            message = (f"{label}: the marketplace counts {on_hand / QTY_SCALE:g} in stock. "
                       "Count it and record the real number.")
        else:
            message = (f"{label}: online orders hold more than is in stock "
                       f"({available / QTY_SCALE:g} available). Restock or reject an order.")
        self.record_issue(kind, "variant", variant, message,
                          {"location_id": location, "on_hand": on_hand, "available": available})

    def record_issue(self, kind: str, resource_type: str, resource_id: str, message: str,
                     details: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO sync_issues (id, kind, resource_type, resource_id, message, details, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (new_id(), kind, resource_type, resource_id, message,
             orjson.dumps(details).decode(), self.now))
        self.out.issues += 1

    # -- orders -------------------------------------------------------------------------------
    def _order(self, change: Change, *, force: bool = False) -> None:
        d = change.data
        found = self._version("orders", change.resource_id)
        if (not force and found is not None and found[1] is not None
                and found[1] >= change.resource_version):
            self.out.skipped_stale += 1
            return
        status = str(d.get("status") or "UNKNOWN")
        local_status = status
        if found is not None and not force:
            pending = self.conn.execute(
                "SELECT 1 FROM outbox WHERE resource_type = 'order' AND resource_id = ? "
                "AND status = 'PENDING' LIMIT 1", (found[0],)).fetchone()
            if pending is not None and status != OrderStatus.CANCELLED:
                # A local action is on its way: keep showing it until the server answers.
                local_status = self.conn.execute("SELECT status FROM orders WHERE id = ?",
                                                 (found[0],)).fetchone()[0]
        fulfillment = d.get("fulfillment") or {}
        customer = d.get("customer") or {}
        totals = d.get("totals") or {}
        currency = str((totals.get("total") or {}).get("currency") or "")[:3]
        extra = {k: v for k, v in d.items() if k not in _ORDER_KNOWN}
        extra["fulfillment"] = fulfillment  # delivery address, schedule: for the detail view
        values = (
            str(d.get("number") or "")[:32], local_status, status,
            str(fulfillment.get("type") or "PICKUP")[:16], customer.get("display_name"),
            customer.get("note"), fulfillment.get("pickup_code"), currency,
            _amount(totals.get("subtotal")) or 0, _amount(totals.get("tax")) or 0,
            _amount(totals.get("delivery_fee")) or 0, _amount(totals.get("total")) or 0,
            _ts(d.get("created_at")) or self.now, _ts(d.get("accept_by")),
            _ts(fulfillment.get("estimated_ready_at")), _ts(d.get("completed_at")),
            _ts(d.get("acknowledged_at")), orjson.dumps(extra).decode(),
            change.resource_version, self.now,
        )
        if found is None:
            local = new_id()
            self.conn.execute(
                "INSERT INTO orders (number, status, server_status, fulfillment_type, "
                "customer_name, customer_note, pickup_code, currency, subtotal, tax_total, "
                "delivery_fee, total, placed_at, accept_by, estimated_ready_at, completed_at, "
                "acknowledged_at, extra, version, updated_at, id, remote_id, created_at) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, local, change.resource_id, self.now))
        else:
            local = found[0]
            self.conn.execute(
                "UPDATE orders SET number = ?, status = ?, server_status = ?, "
                "fulfillment_type = ?, customer_name = ?, customer_note = ?, pickup_code = ?, "
                "currency = ?, subtotal = ?, tax_total = ?, delivery_fee = ?, total = ?, "
                "placed_at = ?, accept_by = ?, estimated_ready_at = ?, completed_at = ?, "
                "acknowledged_at = ?, extra = ?, version = ?, updated_at = ? WHERE id = ?",
                (*values, local))
            self.conn.execute("DELETE FROM order_lines WHERE order_id = ?", (local,))
            self.conn.execute("DELETE FROM order_status_history WHERE order_id = ?", (local,))
        lines = []
        for n, line in enumerate(d.get("line_items") or [], start=1):
            if not isinstance(line, dict):
                continue
            name = " – ".join(x for x in (line.get("product_name"), line.get("variant_name"))
                              if x) or "?"
            lines.append((new_id(), local, n, line.get("variant_id"),
                          self.local_id("variants", line.get("variant_id")), name[:300],
                          line.get("sku"), qty(line.get("quantity")),
                          _amount(line.get("unit_price")) or 0, 0, 0,
                          _amount(line.get("total")) or 0, line.get("note")))
        self.conn.executemany(
            "INSERT INTO order_lines (id, order_id, line_no, remote_variant_id, variant_id, "
            "name, sku, quantity, unit_price, tax_rate_bp, tax_amount, total, note) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
        history = []
        for entry in d.get("status_history") or []:
            if isinstance(entry, dict) and entry.get("at"):
                actor = entry.get("actor") or {}
                history.append((new_id(), local, str(entry.get("status"))[:24],
                                _ts(entry["at"]), actor.get("type"), entry.get("reason_code"),
                                entry.get("note")))
        if history:
            self.conn.executemany(
                "INSERT INTO order_status_history (id, order_id, status, at, actor_type, "
                "reason_code, note) VALUES (?, ?, ?, ?, ?, ?, ?)", history)
        self._remember("orders", change.resource_id, local)
        self.out.orders.add(local)

    def force_order(self, data: dict[str, Any]) -> None:
        """Apply the server's order as it is now, dropping the local optimistic status."""
        self._order(Change("", "order.fetched", "order", str(data["id"]),
                           int(data.get("version") or 0), data), force=True)


def parse_at(value: str | None) -> datetime | None:
    return parse_time_or_none(value)
