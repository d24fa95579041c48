"""Vendors: profile, fulfillment options, hours, pause and busy mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Row, insert, select, update

from marketplace_sandbox import clock, ids
from marketplace_sandbox.db import Database, Tx
from marketplace_sandbox.jsonutil import dumps
from marketplace_sandbox.models import feed_counters, locations, vendors
from marketplace_sandbox.problems import field_error, not_found
from marketplace_sandbox.resources import SYSTEM, check_version, doc_of, save_doc


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise field_error("/timezone", "unknown_timezone", f"Unknown time zone {name!r}") from None


def create_vendor(db: Database, name: str, *, currency: str = "EUR",
                  timezone: str = "Europe/London", accept_window_seconds: int = 600,
                  location_name: str = "Shop") -> tuple[str, str]:
    """A vendor with its feed counter and one location. Returns (vendor_id, location_id)."""
    now = clock.now_us()
    vendor_id = ids.new_id("ven")
    doc = {
        "id": vendor_id, "version": 1, "name": name, "timezone": timezone,
        "currency": currency,
        "fulfillment": {"pickup": True, "delivery": {"enabled": False, "radius_km": 0,
                                                     "fee": None, "minimum_order": None}},
        "hours": [], "special_hours": [],
        "pause": {"state": "ONLINE", "until": None, "reason": None, "set_by": None},
        "busy": {"extra_prep_minutes": 0},
        "accept_window_seconds": accept_window_seconds,
        "created_at": clock.iso_us(now), "updated_at": clock.iso_us(now),
    }
    with db.write() as tx:
        tx.conn.execute(insert(vendors).values(id=vendor_id, version=1, doc=dumps(doc),
                                               consecutive_timeouts=0, created_us=now,
                                               updated_us=now))
        tx.conn.execute(insert(feed_counters).values(vendor_id=vendor_id, seq=0,
                                                     expired_through=0))
        tx.emit(vendor_id, "vendor.created", "vendor", vendor_id, 1, doc, SYSTEM)
        location_id = create_location(tx, vendor_id, {"name": location_name}, SYSTEM)["id"]
    return vendor_id, location_id


def create_location(tx: Tx, vendor_id: str, fields: dict[str, Any],
                    actor: dict[str, Any], client_ref: str | None = None) -> dict[str, Any]:
    now = clock.iso(clock.now())
    location_id = ids.new_id("loc")
    doc = {"id": location_id, "client_ref": client_ref, "version": 1,
           "name": fields["name"], "address": fields.get("address"),
           "created_at": now, "updated_at": now}
    tx.conn.execute(insert(locations).values(id=location_id, vendor_id=vendor_id,
                                             client_ref=client_ref, version=1, doc=dumps(doc)))
    tx.emit(vendor_id, "location.created", "location", location_id, 1, doc, actor)
    return doc


def _vendor_row(conn: Connection, vendor_id: str, *, for_update: bool = False) -> Row[Any]:
    query = select(vendors).where(vendors.c.id == vendor_id)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise not_found(f"Vendor {vendor_id}")
    return row


def get_vendor(conn: Connection, vendor_id: str) -> dict[str, Any]:
    return doc_of(_vendor_row(conn, vendor_id))


def update_vendor(tx: Tx, vendor_id: str, mutate: Callable[[dict[str, Any]], None],  # noqa: PLR0917
                  actor: dict[str, Any], event_type: str = "vendor.updated",
                  expected_version: int | None = None,
                  **columns: Any) -> dict[str, Any]:
    row = _vendor_row(tx.conn, vendor_id, for_update=True)
    doc = doc_of(row)
    check_version(expected_version, row.version, "The vendor")
    mutate(doc)
    doc["version"] = row.version + 1
    now = clock.now_us()
    doc["updated_at"] = clock.iso_us(now)
    save_doc(tx.conn, vendors, row, doc, updated_us=now, **columns)
    tx.emit(vendor_id, event_type, "vendor", vendor_id, doc["version"], doc, actor)
    return doc


def reset_timeouts(tx: Tx, vendor_id: str) -> None:
    tx.conn.execute(update(vendors).where(vendors.c.id == vendor_id,
                                          vendors.c.consecutive_timeouts != 0)
                    .values(consecutive_timeouts=0))


def count_timeout(tx: Tx, vendor_id: str, threshold: int) -> None:
    """After `threshold` orders in a row time out, pause the store (MISSED_ORDERS)."""
    row = _vendor_row(tx.conn, vendor_id, for_update=True)
    missed = row.consecutive_timeouts + 1
    if missed < threshold:
        tx.conn.execute(update(vendors).where(vendors.c.id == vendor_id)
                        .values(consecutive_timeouts=missed))
        return

    def pause(doc: dict[str, Any]) -> None:
        doc["pause"] = {"state": "PAUSED", "until": None, "reason": "MISSED_ORDERS",
                        "set_by": "system"}

    update_vendor(tx, vendor_id, pause, SYSTEM, "vendor.paused", consecutive_timeouts=0)
