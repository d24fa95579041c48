"""Webhooks for server-side integrators, signed as Standard Webhooks.

Each endpoint follows the vendor's feed from its own cursor: the body is the feed envelope,
`webhook-id` the event id, `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>`
(two signatures while a rotated secret overlaps). Delivery is at least once; only a 2xx
within the timeout counts (redirects fail). Failures back off; after `webhook_disable_after`
of continuous failure the endpoint is disabled and a `webhook_endpoint.disabled` change
says so. `replay` moves an endpoint's cursor back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from typing import Any

import httpx
import orjson
from sqlalchemy import Row, insert, select, update

from marketplace_sandbox import clock, feed, ids
from marketplace_sandbox.config import Settings
from marketplace_sandbox.db import Database, Tx
from marketplace_sandbox.jsonutil import dumps, loads
from marketplace_sandbox.models import feed_counters, webhook_endpoints
from marketplace_sandbox.problems import Problem
from marketplace_sandbox.resources import SYSTEM, doc_of, load_row, save_doc

log = logging.getLogger("marketplace_sandbox")
BATCH = 50


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def create(tx: Tx, vendor_id: str, url: str, types: list[str] | None, *,
           actor: dict[str, Any]) -> dict[str, Any]:
    endpoint_id = ids.new_id("whe")
    secret = new_secret()
    now = clock.now_us()
    head = tx.conn.execute(select(feed_counters.c.seq).where(
        feed_counters.c.vendor_id == vendor_id)).scalar_one()
    doc = {"id": endpoint_id, "version": 1, "url": url, "types": types, "enabled": True,
           "disabled_at": None, "failing_since": None, "last_delivery": None,
           "created_at": clock.iso_us(now), "updated_at": clock.iso_us(now)}
    tx.conn.execute(insert(webhook_endpoints).values(
        id=endpoint_id, vendor_id=vendor_id, version=1, deleted=False, enabled=True,
        doc=dumps(doc), secrets=dumps([[secret, None]]), cursor_seq=int(head), attempts=0,
        next_attempt_us=now))
    tx.emit(vendor_id, "webhook_endpoint.created", "webhook_endpoint", endpoint_id, 1, doc,
            actor)
    return {**doc, "secret": secret}


def _bump(tx: Tx, vendor_id: str, row: Row[Any], doc: dict[str, Any], event: str, *,
          actor: dict[str, Any], **columns: Any) -> dict[str, Any]:
    doc.update(version=row.version + 1, updated_at=clock.iso(clock.now()))
    save_doc(tx.conn, webhook_endpoints, row, doc, **columns)
    tx.emit(vendor_id, event, "webhook_endpoint", row.id, doc["version"], doc, actor)
    return doc


def rotate(tx: Tx, vendor_id: str, endpoint_id: str, *, overlap: float,
           actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, webhook_endpoints, vendor_id, endpoint_id, "Webhook endpoint",
                   for_update=True)
    now = clock.now_us()
    old = [[s, until] for s, until in loads(row.secrets) if until is None or until > now]
    secret = new_secret()
    kept = [[s, now + int(overlap * 1_000_000)] for s, _ in old[:1]]
    doc = _bump(tx, vendor_id, row, doc_of(row), "webhook_endpoint.secret_rotated", actor=actor,
                secrets=dumps([[secret, None], *kept]))
    return {**doc, "secret": secret}


def replay(tx: Tx, vendor_id: str, endpoint_id: str, after_seq: int,
           actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, webhook_endpoints, vendor_id, endpoint_id, "Webhook endpoint",
                   for_update=True)
    doc = doc_of(row)
    doc.update(enabled=True, disabled_at=None, failing_since=None)
    return _bump(tx, vendor_id, row, doc, "webhook_endpoint.replayed", actor=actor,
                 cursor_seq=after_seq, enabled=True, attempts=0,
                 next_attempt_us=clock.now_us(), failing_since_us=None)


def delete(tx: Tx, vendor_id: str, endpoint_id: str, actor: dict[str, Any]) -> dict[str, Any]:
    row = load_row(tx.conn, webhook_endpoints, vendor_id, endpoint_id, "Webhook endpoint",
                   for_update=True)
    doc = {"id": endpoint_id, "deleted": True, "deleted_at": clock.iso(clock.now())}
    return _bump(tx, vendor_id, row, doc, "webhook_endpoint.deleted", actor=actor, deleted=True,
                 enabled=False)


class Sender:
    """Delivers due endpoints (one pass per call; run on a worker thread)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.client = httpx.Client(timeout=settings.webhook_timeout, follow_redirects=False)
        # Test fault webhook_failures[=n]: the first n attempts of each batch fail unsent.
        self._forced_failures = 0
        for spec in settings.faults:
            name, _, value = spec.partition("=")
            if name.strip() == "webhook_failures":
                self._forced_failures = int(value) if value.strip().isdigit() else 3

    def close(self) -> None:
        self.client.close()

    def run_once(self) -> int:
        now = clock.now_us()
        with self.db.read() as conn:
            due = conn.execute(select(webhook_endpoints.c.id).where(
                webhook_endpoints.c.enabled.is_(True),
                webhook_endpoints.c.next_attempt_us <= now)).all()
        delivered = 0
        for endpoint in due:
            if self._claim(endpoint.id):
                delivered += self._deliver(endpoint.id)
        return delivered

    def _claim(self, endpoint_id: str) -> bool:
        now = clock.now_us()
        lease = now + int((self.settings.webhook_timeout * BATCH + 30) * 1_000_000)
        with self.db.write() as tx:
            result = tx.conn.execute(update(webhook_endpoints).where(
                webhook_endpoints.c.id == endpoint_id,
                (webhook_endpoints.c.lease_until_us.is_(None))
                | (webhook_endpoints.c.lease_until_us < now),
            ).values(lease_until_us=lease))
            return result.rowcount == 1

    def _deliver(self, endpoint_id: str) -> int:
        with self.db.read() as conn:
            row = conn.execute(select(webhook_endpoints).where(
                webhook_endpoints.c.id == endpoint_id)).one()
        doc = doc_of(row)
        try:
            page = feed.read_page(self.db, row.vendor_id, row.cursor_seq, BATCH,
                                  feed.parse_types(",".join(doc["types"] or [])))
        except Problem:  # the endpoint's cursor expired: continue from the oldest kept
            page = feed.read_page(self.db, row.vendor_id, None, BATCH, ([], []))
        now = clock.now_us()
        secrets_ = [s for s, until in loads(row.secrets) if until is None or until > now]
        sent = 0
        cursor = row.cursor_seq
        error: str | None = None
        for change in page.rows:
            error = self._post(doc["url"], change.envelope.encode(), secrets_, row.attempts)
            if error is not None:
                break
            cursor, sent = change.seq, sent + 1
        else:
            cursor = page.next_seq
        self._record(row, cursor, error)
        return sent

    def _post(self, url: str, body: bytes, secrets_: list[str], attempts: int) -> str | None:
        if attempts < self._forced_failures:
            return "forced failure (webhook_failures test fault)"
        envelope = orjson.loads(body)
        msg_id, timestamp = envelope["event_id"], int(time.time())
        headers = {"content-type": "application/json", "webhook-id": msg_id,
                   "webhook-timestamp": str(timestamp),
                   "webhook-signature": " ".join(sign(s, msg_id, timestamp, body)
                                                 for s in secrets_)}
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"

    def _record(self, row: Row[Any], cursor: int, error: str | None) -> None:
        now = clock.now_us()
        settings = self.settings
        with self.db.write() as tx:
            current = tx.conn.execute(select(webhook_endpoints).where(
                webhook_endpoints.c.id == row.id).with_for_update()).one()
            doc = doc_of(current)
            values: dict[str, Any] = {"lease_until_us": None, "cursor_seq": max(
                cursor, current.cursor_seq) if current.cursor_seq == row.cursor_seq
                else current.cursor_seq}
            if error is None:
                values.update(attempts=0, failing_since_us=None, next_attempt_us=now)
                if doc.get("failing_since"):
                    doc.update(failing_since=None)
                    _bump(tx, current.vendor_id, current, doc, "webhook_endpoint.recovered",
                          actor=SYSTEM, **values)
                    return
                tx.conn.execute(update(webhook_endpoints).where(
                    webhook_endpoints.c.id == row.id).values(**values))
                return
            attempts = current.attempts + 1
            backoff = settings.webhook_backoff[min(attempts, len(settings.webhook_backoff)) - 1]
            failing_since = current.failing_since_us or now
            values.update(attempts=attempts, failing_since_us=failing_since,
                          next_attempt_us=now + int(backoff * 1_000_000))
            doc["last_delivery"] = {"at": clock.iso_us(now), "error": error}
            if now - failing_since >= settings.webhook_disable_after * 1_000_000:
                doc.update(enabled=False, disabled_at=clock.iso_us(now),
                           failing_since=clock.iso_us(failing_since))
                _bump(tx, current.vendor_id, current, doc, "webhook_endpoint.disabled",
                      actor=SYSTEM, enabled=False, **values)
                return
            if current.failing_since_us is None:
                doc["failing_since"] = clock.iso_us(failing_since)
                _bump(tx, current.vendor_id, current, doc, "webhook_endpoint.failing",
                      actor=SYSTEM, **values)
                return
            tx.conn.execute(update(webhook_endpoints).where(
                webhook_endpoints.c.id == row.id).values(doc=dumps(doc), **values))
