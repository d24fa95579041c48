"""Periodic work: pauses that end, store presence (auto-pause NO_DEVICE_ONLINE during opening
hours, resume when a device is back), feed retention and idempotency-key expiry."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from marketplace_sandbox import clock, feed
from marketplace_sandbox.context import AppContext
from marketplace_sandbox.jsonutil import loads
from marketplace_sandbox.models import vendors
from marketplace_sandbox.resources import SYSTEM
from marketplace_sandbox.vendors import update_vendor

log = logging.getLogger("marketplace_sandbox")
DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ONLINE = {"state": "ONLINE", "until": None, "reason": None, "set_by": None}


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _in_window(minute: int, open_: str, close: str) -> bool:
    start, end = _minutes(open_), _minutes(close)
    if end > start:
        return start <= minute < end
    return minute >= start or minute < end  # past midnight


def is_open(doc: dict[str, Any], moment: datetime) -> bool:
    """Whether the vendor's published hours say it is open (no hours published: not known)."""
    local = moment.astimezone(ZoneInfo(doc["timezone"]))
    minute = local.hour * 60 + local.minute
    for special in doc.get("special_hours", []):
        if special["date"] == local.date().isoformat():
            if special.get("closed") or not special.get("open") or not special.get("close"):
                return False
            return _in_window(minute, special["open"], special["close"])
    day = DAYS[local.weekday()]
    return any(h["day"] == day and _in_window(minute, h["open"], h["close"])
               for h in doc.get("hours", []))


def _expired(until: str | None, now: datetime) -> bool:
    return until is not None and datetime.fromisoformat(until) <= now


def _set_online(doc: dict[str, Any]) -> None:
    doc["pause"] = dict(ONLINE)


def _end_busy(doc: dict[str, Any]) -> None:
    doc["busy"] = {"extra_prep_minutes": 0}


def _pause_absent(doc: dict[str, Any]) -> None:
    doc["pause"] = {"state": "PAUSED", "until": None, "reason": "NO_DEVICE_ONLINE",
                    "set_by": "system"}


def check_vendors(ctx: AppContext) -> None:
    now = clock.now()
    timeout = ctx.settings.presence_timeout
    with ctx.db.read() as conn:
        rows = conn.execute(select(vendors.c.id, vendors.c.doc)).all()
    for row in rows:
        doc = loads(row.doc)
        pause, busy = doc["pause"], doc.get("busy", {})
        action = None
        if pause["state"] == "PAUSED" and _expired(pause.get("until"), now):
            action = (_set_online, "vendor.resumed")
        elif busy.get("extra_prep_minutes") and _expired(busy.get("until"), now):
            action = (_end_busy, "vendor.updated")
        elif timeout > 0 and doc.get("hours"):
            present = ctx.presence.is_present(row.id)
            if pause["state"] == "ONLINE" and not present and is_open(doc, now):
                action = (_pause_absent, "vendor.paused")
            elif (pause["state"] == "PAUSED" and pause.get("reason") == "NO_DEVICE_ONLINE"
                  and present):
                action = (_set_online, "vendor.resumed")
        if action is None:
            continue
        mutate, event = action
        with ctx.db.write() as tx:
            update_vendor(tx, row.id, mutate, SYSTEM, event)


def expire_old(ctx: AppContext) -> None:
    settings = ctx.settings
    before = clock.now_us() - settings.feed_retention * 1_000_000
    with ctx.db.read() as conn:
        ids = [r.id for r in conn.execute(select(vendors.c.id))]
    for vendor_id in ids:
        feed.prune(ctx.db, vendor_id, before_us=before)
    ctx.idempotency.purge_expired()


class Maintenance:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._last_expiry = 0.0

    def run_once(self) -> None:
        try:
            check_vendors(self.ctx)
        except Exception:
            log.exception("vendor checks failed")
        if time.monotonic() - self._last_expiry >= self.ctx.settings.expiry_interval:
            self._last_expiry = time.monotonic()
            try:
                expire_old(self.ctx)
            except Exception:
                log.exception("retention pass failed")

