"""Order actions: sent in order per order; an accept is never sent after ``accept_by``; an
``invalid_transition`` reverts the local status to the server's, with its explanation."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.client import ApiClient, ApiError
from sync.mirror import Mirror
from sync.outbox_store import OutRow
from sync.senders import Outcome
from sync.wire import parse_time_or_none

VERBS = {"accept": "accept", "reject": "reject", "start-preparing": "start preparing",
         "mark-ready": "mark ready", "dispatch": "dispatch", "complete": "complete",
         "cancel": "cancel", "acknowledge": "acknowledge",
         "adjust-ready-time": "change the ready time of"}


def server_now(skew_ms: int) -> datetime:
    return datetime.now(UTC) + timedelta(milliseconds=skew_ms)


def revert(conn: sqlite3.Connection, row: OutRow, message: str, order: dict[str, Any] | None,
           details: dict[str, Any]) -> None:
    mirror = Mirror(conn)
    if order is not None:
        mirror.force_order(order)
    else:
        conn.execute("UPDATE orders SET status = COALESCE(server_status, status) WHERE id = ?",
                     (row.resource_id,))
    mirror.record_issue("order_reverted", "order", row.resource_id, message, details)


class OrderSender:
    def __init__(self, client: ApiClient, skew_ms: Callable[[], int]) -> None:
        self._client = client
        self._skew_ms = skew_ms

    def take(self, rows: list[OutRow]) -> tuple[list[OutRow], list[OutRow]]:
        return rows[:1], rows[1:]

    async def send(self, batch: list[OutRow]) -> Outcome:
        row = batch[0]
        p = row.payload
        action, remote, number = row.operation, str(p["remote_id"]), p.get("number") or ""
        accept_by = parse_time_or_none(p.get("accept_by"))
        if action == "accept" and accept_by is not None and \
                server_now(self._skew_ms()) >= accept_by:
            message = (f"Order {number} was not accepted: its accept deadline passed before "
                       "the till could reach the marketplace.")
            return Outcome(discarded=[(row, message)], effects=[
                lambda conn: revert(conn, row, message, None, {"action": action})])
        try:
            reply = await self._client.request("POST", f"/orders/{remote}/{action}",
                                               json=p.get("body") or {},
                                               idempotency_key=row.idempotency_key)
        except ApiError as exc:
            if exc.problem.code != "invalid_transition":
                raise
            current = await self._client.request("GET", f"/orders/{remote}")
            status = exc.problem.raw.get("current_status") or current.body.get("status")
            allowed = exc.problem.raw.get("allowed_actions") or []
            why = ""
            if status == "CANCELLED":
                reason = current.body.get("cancel_reason")
                why = f" (cancelled: {reason})" if reason else " (cancelled)"
            message = (f"Could not {VERBS.get(action, action)} order {number}: the marketplace "
                       f"says it is {status}{why}. {exc.problem.detail}.")
            order = current.body
            return Outcome(discarded=[(row, message)], effects=[
                lambda conn: revert(conn, row, message, order,
                                    {"action": action, "current_status": status,
                                     "allowed_actions": allowed})])
        doc = reply.body

        def apply(conn: sqlite3.Connection) -> None:
            if isinstance(doc, dict) and doc.get("id"):
                Mirror(conn).apply([_change(doc)])

        return Outcome(sent=[row], effects=[apply])


def _change(doc: dict[str, Any]) -> Any:
    from sync.wire import Change

    return Change("", "order.action", "order", str(doc["id"]), int(doc.get("version") or 0), doc)
