"""Inventory levels and the ledger.

on_hand = the latest PHYSICAL_COUNT + the ADJUSTMENTs that occurred after it (by occurred_at),
so an offline sale uploaded after a later count is not subtracted twice. Counts may be at most
5 minutes in the future (clock skew), so "the latest count at or before now" is every count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from marketplace_sandbox import catalog, clock, ids
from marketplace_sandbox.db import Tx
from marketplace_sandbox.jsonutil import dumps
from marketplace_sandbox.models import inventory_changes, inventory_levels, locations, variants
from marketplace_sandbox.problems import Problem, field_error
from marketplace_sandbox.resources import SYSTEM, doc_of, fmt_qty, load_row, to_milli
from marketplace_sandbox.schemas import InventoryChange

SERVER_REASONS = frozenset({"order_committed", "order_released", "order_fulfilled"})
FUTURE_TOLERANCE_US = 5 * 60 * 1_000_000


@dataclass(frozen=True, slots=True)
class Level:
    variant_id: str
    location_id: str
    on_hand_m: int
    committed_m: int
    version: int
    updated_us: int
    precision: int

    def doc(self) -> dict[str, Any]:
        p = self.precision
        return {"variant_id": self.variant_id, "location_id": self.location_id,
                "on_hand": fmt_qty(self.on_hand_m, p), "committed": fmt_qty(self.committed_m, p),
                "available": fmt_qty(self.on_hand_m - self.committed_m, p),
                "version": self.version, "updated_at": clock.iso_us(self.updated_us)}


# The write path's statements, built once (a batch of 100 changes runs each 100 times; building
# and cache-keying a fresh statement per call was a large part of a batch's server time).
_LV = inventory_levels.c
_CH = inventory_changes.c
_LEVEL_SCOPE = (_LV.vendor_id == bindparam("b_vendor_id"),
                _LV.variant_id == bindparam("b_variant_id"),
                _LV.location_id == bindparam("b_location_id"))
_SELECT_LEVEL = select(inventory_levels).where(*_LEVEL_SCOPE)
_SELECT_LEVEL_FOR_UPDATE = _SELECT_LEVEL.with_for_update()
_UPDATE_LEVEL = update(inventory_levels).where(*_LEVEL_SCOPE).values(
    on_hand_m=bindparam("b_on_hand_m"), committed_m=bindparam("b_committed_m"),
    version=bindparam("b_version"), updated_us=bindparam("b_updated_us"))
_CHANGE_SCOPE = (_CH.vendor_id == bindparam("b_vendor_id"),
                 _CH.variant_id == bindparam("b_variant_id"),
                 _CH.location_id == bindparam("b_location_id"))
_LATEST_COUNT = (select(_CH.amount_m, _CH.occurred_us)
                 .where(*_CHANGE_SCOPE, _CH.type == "PHYSICAL_COUNT")
                 .order_by(_CH.occurred_us.desc(), _CH.pk.desc()).limit(1))
_ADJUSTMENTS = select(func.coalesce(func.sum(_CH.amount_m), 0)).where(
    *_CHANGE_SCOPE, _CH.type == "ADJUSTMENT")
_ADJUSTMENTS_AFTER = _ADJUSTMENTS.where(_CH.occurred_us > bindparam("b_after_us"))
_INSERT_CHANGE = insert(inventory_changes)
_SET_CHANGE_DOC = (update(inventory_changes).where(_CH.id == bindparam("b_change_id"))
                   .values(doc=bindparam("b_doc")))
_DUPLICATE = select(_CH.id).where(_CH.vendor_id == bindparam("b_vendor_id"),
                                  _CH.client_change_id == bindparam("b_client_change_id"))
_VARIANT_DOC = select(variants.c.doc).where(variants.c.id == bindparam("b_variant_id"))
_VENDOR_VARIANT = select(variants.c.doc, variants.c.deleted).where(
    variants.c.id == bindparam("b_variant_id"),
    variants.c.vendor_id == bindparam("b_vendor_id"))
_LOCATION = select(locations.c.id).where(locations.c.id == bindparam("b_location_id"),
                                         locations.c.vendor_id == bindparam("b_vendor_id"))


def level_id(variant_id: str, location_id: str) -> str:
    return f"{variant_id}@{location_id}"


def _level_row(conn: Connection, vendor_id: str, variant_id: str, location_id: str,
               for_update: bool) -> Row[Any] | None:
    query = _SELECT_LEVEL_FOR_UPDATE if for_update else _SELECT_LEVEL
    return conn.execute(query, {"b_vendor_id": vendor_id, "b_variant_id": variant_id,
                                "b_location_id": location_id}).first()


def lock_level(conn: Connection, vendor_id: str, variant_id: str,
               location_id: str) -> Row[Any]:
    row = _level_row(conn, vendor_id, variant_id, location_id, True)
    if row is None:
        # Concurrent first writers both get here: create the row if missing, then lock it.
        dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(dialect_insert(inventory_levels).values(
            vendor_id=vendor_id, variant_id=variant_id, location_id=location_id, on_hand_m=0,
            committed_m=0, version=0, updated_us=clock.now_us()).on_conflict_do_nothing())
        row = _level_row(conn, vendor_id, variant_id, location_id, True)
        assert row is not None
    return row


def compute_on_hand(conn: Connection, vendor_id: str, variant_id: str, location_id: str) -> int:
    scope = {"b_vendor_id": vendor_id, "b_variant_id": variant_id,
             "b_location_id": location_id}
    count = conn.execute(_LATEST_COUNT, scope).first()
    if count is None:
        return int(conn.execute(_ADJUSTMENTS, scope).scalar_one())
    after = conn.execute(_ADJUSTMENTS_AFTER, {**scope, "b_after_us": count.occurred_us})
    return int(count.amount_m) + int(after.scalar_one())


def write_level(tx: Tx, vendor_id: str, row: Row[Any], precision: int, actor: dict[str, Any],
                *, on_hand_m: int | None = None, committed_m: int | None = None) -> Level:
    now = clock.now_us()
    level = Level(row.variant_id, row.location_id,
                  row.on_hand_m if on_hand_m is None else on_hand_m,
                  row.committed_m if committed_m is None else committed_m,
                  row.version + 1, now, precision)
    tx.conn.execute(_UPDATE_LEVEL, {
        "b_vendor_id": vendor_id, "b_variant_id": row.variant_id,
        "b_location_id": row.location_id,
        "b_on_hand_m": level.on_hand_m, "b_committed_m": level.committed_m,
        "b_version": level.version, "b_updated_us": now})
    doc = level.doc()
    lid = level_id(row.variant_id, row.location_id)
    tx.emit(vendor_id, "inventory_level.updated", "inventory_level", lid, level.version, doc,
            actor)
    if on_hand_m is not None and level.on_hand_m < 0 and level.on_hand_m < row.on_hand_m:
        tx.emit(vendor_id, "inventory_level.negative", "inventory_level", lid, level.version,
                doc, actor)
    _auto_availability(tx, vendor_id, row.variant_id, level)
    return level


def _auto_availability(tx: Tx, vendor_id: str, variant_id: str, level: Level) -> None:
    """DENY variants go SOLD_OUT when nothing is available, and back when stock returns
    (only if the server, not the vendor, marked them sold out)."""
    vrow = tx.conn.execute(_VARIANT_DOC, {"b_variant_id": variant_id}).first()
    if vrow is None:
        return
    variant = doc_of(vrow)
    if (variant.get("deleted") or not variant.get("track_inventory")
            or variant.get("inventory_policy") != "DENY"):
        return
    current = variant["availability"]
    available = level.on_hand_m - level.committed_m
    if available <= 0 and current["status"] == "AVAILABLE":
        catalog.set_availability(tx, vendor_id, variant_id, "SOLD_OUT", None, SYSTEM,
                                 auto=True)
    elif available > 0 and current["status"] == "SOLD_OUT" and current.get("auto"):
        catalog.set_availability(tx, vendor_id, variant_id, "AVAILABLE", None, SYSTEM)


def _variant(conn: Connection, vendor_id: str, variant_id: str, pointer: str) -> dict[str, Any]:
    row = conn.execute(_VENDOR_VARIANT, {"b_variant_id": variant_id,
                                         "b_vendor_id": vendor_id}).first()
    if row is None:
        raise field_error(pointer, "unknown_reference", f"No variant {variant_id}")
    return doc_of(row)


def _check_location(conn: Connection, vendor_id: str, location_id: str, pointer: str) -> None:
    row = conn.execute(_LOCATION, {"b_location_id": location_id,
                                   "b_vendor_id": vendor_id}).first()
    if row is None:
        raise field_error(pointer, "unknown_reference", f"No location {location_id}")


def record(tx: Tx, vendor_id: str, *, client_change_id: str | None, type_: str,
           variant_id: str, location_id: str, amount_m: int, precision: int, reason: str,
           occurred_us: int, reference: dict[str, Any] | None, note: str | None,
           actor: dict[str, Any], expected_on_hand_m: int | None = None) -> dict[str, Any]:
    """Append one ledger entry and recompute the level. Returns the ledger entry document."""
    level_row = lock_level(tx.conn, vendor_id, variant_id, location_id)
    if expected_on_hand_m is not None and level_row.on_hand_m != expected_on_hand_m:
        current = fmt_qty(level_row.on_hand_m, precision)
        raise Problem(409, "quantity_mismatch",
                      f"on_hand is {current}, expected {fmt_qty(expected_on_hand_m, precision)}",
                      current=current)
    change_id = ids.new_id("chg")
    now = clock.now_us()
    entry: dict[str, Any] = {
        "change_id": change_id, "client_change_id": client_change_id, "type": type_,
        "variant_id": variant_id, "location_id": location_id, "reason": reason,
        "occurred_at": clock.iso_us(occurred_us), "recorded_at": clock.iso_us(now),
        "actor": actor, "reference": reference, "note": note,
    }
    if type_ == "ADJUSTMENT":
        entry["delta"] = fmt_qty(amount_m, precision)
    else:
        entry["quantity"] = fmt_qty(amount_m, precision)
    tx.conn.execute(_INSERT_CHANGE, {
        "id": change_id, "vendor_id": vendor_id, "client_change_id": client_change_id,
        "type": type_, "variant_id": variant_id, "location_id": location_id,
        "amount_m": amount_m, "occurred_us": occurred_us, "recorded_us": now, "doc": "{}"})
    on_hand = compute_on_hand(tx.conn, vendor_id, variant_id, location_id)
    level = write_level(tx, vendor_id, level_row, precision, actor, on_hand_m=on_hand)
    entry["on_hand_after"] = fmt_qty(level.on_hand_m, precision)
    entry["level"] = level.doc()
    tx.conn.execute(_SET_CHANGE_DOC, {
        "b_change_id": change_id,
        "b_doc": dumps({k: v for k, v in entry.items() if k != "level"})})
    return entry


def apply_change(tx: Tx, vendor_id: str, change: InventoryChange, actor: dict[str, Any],
                 prefix: str) -> dict[str, Any]:
    """One client change: {status: applied|duplicate, change_id, level}; raises on rejection."""
    existing = tx.conn.execute(_DUPLICATE, {
        "b_vendor_id": vendor_id, "b_client_change_id": change.client_change_id}).first()
    if existing is not None:
        return {"status": "duplicate", "change_id": existing.id}
    variant = _variant(tx.conn, vendor_id, change.variant_id, prefix + "/variant_id")
    _check_location(tx.conn, vendor_id, change.location_id, prefix + "/location_id")
    precision = int(variant["precision"])
    occurred_us = clock.to_us(change.occurred_at)
    if occurred_us > clock.now_us() + FUTURE_TOLERANCE_US:
        raise field_error(prefix + "/occurred_at", "in_future",
                          "occurred_at is more than 5 minutes in the future")
    if change.type == "ADJUSTMENT":
        if change.delta is None or change.quantity is not None:
            raise field_error(prefix + "/delta", "required",
                              "An ADJUSTMENT carries delta (and no quantity)")
        amount = to_milli(change.delta, precision, prefix + "/delta")
        reason = change.reason or "other"
        if reason == "count":
            raise field_error(prefix + "/reason", "invalid_reason",
                              "count is for PHYSICAL_COUNT changes")
    else:
        if change.quantity is None or change.delta is not None:
            raise field_error(prefix + "/quantity", "required",
                              "A PHYSICAL_COUNT carries quantity (and no delta)")
        amount = to_milli(change.quantity, precision, prefix + "/quantity")
        if amount < 0:
            raise field_error(prefix + "/quantity", "negative", "A count cannot be negative")
        reason = change.reason or "count"
    if reason in SERVER_REASONS:
        raise field_error(prefix + "/reason", "server_only", f"{reason} is set by the server")
    if reason == "other" and not change.note:
        raise field_error(prefix + "/note", "required", "reason other needs a note")
    expected = (None if change.expected_on_hand is None else
                to_milli(change.expected_on_hand, precision, prefix + "/expected_on_hand"))
    entry = record(tx, vendor_id, client_change_id=change.client_change_id, type_=change.type,
                   variant_id=change.variant_id, location_id=change.location_id,
                   amount_m=amount, precision=precision, reason=reason,
                   occurred_us=occurred_us,
                   reference=change.reference.model_dump() if change.reference else None,
                   note=change.note, actor=actor, expected_on_hand_m=expected)
    return {"status": "applied", "change_id": entry["change_id"], "level": entry["level"]}


def precision_of(conn: Connection, vendor_id: str, variant_id: str) -> int:
    row = load_row(conn, variants, vendor_id, variant_id, "Variant", include_deleted=True)
    return int(doc_of(row).get("precision", 0))


def level_docs(conn: Connection, vendor_id: str, *, variant_id: str | None,
               location_id: str | None) -> list[dict[str, Any]]:
    query = (select(inventory_levels, variants.c.doc)
             .join(variants, variants.c.id == inventory_levels.c.variant_id)
             .where(inventory_levels.c.vendor_id == vendor_id))
    if variant_id:
        query = query.where(inventory_levels.c.variant_id == variant_id)
    if location_id:
        query = query.where(inventory_levels.c.location_id == location_id)
    out = []
    for row in conn.execute(query.order_by(inventory_levels.c.variant_id,
                                           inventory_levels.c.location_id)):
        precision = int(doc_of(row).get("precision", 0))
        out.append(Level(row.variant_id, row.location_id, row.on_hand_m, row.committed_m,
                         row.version, row.updated_us, precision).doc())
    return out
