"""Orders: the state machine the server controls, accept deadlines and their auto-cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, select

from marketplace_sandbox import catalog, clock, inventory, vendors
from marketplace_sandbox.db import Database, Tx
from marketplace_sandbox.models import orders
from marketplace_sandbox.problems import Problem, field_error
from marketplace_sandbox.resources import SYSTEM, doc_of, load_row, save_doc, to_milli

RANK = {"PENDING": 0, "CONFIRMED": 1, "PREPARING": 2, "READY": 3, "OUT_FOR_DELIVERY": 4,
        "COMPLETED": 5}
# action -> (states it may start from, target state)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "acknowledge": (frozenset({"PENDING"}), None),
    "accept": (frozenset({"PENDING"}), "CONFIRMED"),
    "reject": (frozenset({"PENDING"}), "CANCELLED"),
    "start-preparing": (frozenset({"CONFIRMED"}), "PREPARING"),
    "mark-ready": (frozenset({"CONFIRMED", "PREPARING"}), "READY"),
    "dispatch": (frozenset({"READY"}), "OUT_FOR_DELIVERY"),
    "complete": (frozenset({"READY", "OUT_FOR_DELIVERY"}), "COMPLETED"),
    "cancel": (frozenset({"CONFIRMED", "PREPARING", "READY"}), "CANCELLED"),
    "adjust-ready-time": (frozenset({"CONFIRMED", "PREPARING", "READY"}), None),
}
ACTIONS = tuple(TRANSITIONS)


def allowed_actions(doc: dict[str, Any]) -> list[str]:
    status = doc["status"]
    delivery = doc["fulfillment"]["type"] == "DELIVERY"
    out = []
    for action, (sources, _) in TRANSITIONS.items():
        if status not in sources:
            continue
        if action == "dispatch" and not delivery:
            continue
        if action == "complete" and status == "READY" and delivery:
            continue
        out.append(action)
    return out


def reached(action: str, doc: dict[str, Any]) -> bool:
    """Has the order already reached (or passed) what this action would do?"""
    status = doc["status"]
    target = TRANSITIONS[action][1]
    if action == "acknowledge":
        return status not in {"PENDING", "CANCELLED"} or (
            status == "PENDING" and doc.get("acknowledged_at") is not None)
    if target == "CANCELLED":
        return status == "CANCELLED"
    if target is None or status == "CANCELLED":
        return False
    return RANK[status] >= RANK[target]


def _history(doc: dict[str, Any], status: str, actor: dict[str, Any],
             reason_code: str | None = None, note: str | None = None) -> None:
    doc["status_history"].append({"status": status, "at": clock.iso(clock.now()),
                                  "actor": actor, "reason_code": reason_code, "note": note})


def _lines_stock(tx: Tx, vendor_id: str, doc: dict[str, Any], actor: dict[str, Any], *,
                 commit: int = 0, fulfil: bool = False) -> None:
    """Move tracked stock: commit=+1 reserve, commit=-1 release; fulfil consumes it."""
    location_id = doc["location_id"]
    for line in doc["line_items"]:
        if not line.get("track_inventory"):
            continue
        precision = int(line.get("precision", 0))
        qty = to_milli(line["quantity"], 3, "/quantity")
        row = inventory.lock_level(tx.conn, vendor_id, line["variant_id"], location_id)
        if fulfil:
            inventory.write_level(tx, vendor_id, row, precision, actor,
                                  committed_m=max(0, row.committed_m - qty))
            inventory.record(tx, vendor_id, client_change_id=None, type_="ADJUSTMENT",
                             variant_id=line["variant_id"], location_id=location_id,
                             amount_m=-qty, precision=precision, reason="order_fulfilled",
                             occurred_us=clock.now_us(),
                             reference={"type": "order", "id": doc["id"]}, note=None,
                             actor=actor)
        elif commit:
            inventory.write_level(tx, vendor_id, row, precision, actor,
                                  committed_m=max(0, row.committed_m + commit * qty))


def _save(tx: Tx, vendor_id: str, row: Row[Any], doc: dict[str, Any], event: str,  # noqa: PLR0917
          actor: dict[str, Any]) -> dict[str, Any]:
    doc["version"] = row.version + 1
    doc["updated_at"] = clock.iso(clock.now())
    accept_by_us = row.accept_by_us if doc["status"] == "PENDING" else None
    save_doc(tx.conn, orders, row, doc, status=doc["status"], accept_by_us=accept_by_us)
    tx.emit(vendor_id, event, "order", doc["id"], doc["version"], doc, actor)
    return doc


def cancel_in_tx(tx: Tx, vendor_id: str, row: Row[Any], doc: dict[str, Any],  # noqa: PLR0917
                 actor: dict[str, Any], reason_code: str, note: str | None,
                 cancel_reason: str) -> dict[str, Any]:
    was_confirmed = doc["status"] != "PENDING"
    doc["status"] = "CANCELLED"
    doc["cancel_reason"] = cancel_reason
    doc["cancelled_at"] = clock.iso(clock.now())
    _history(doc, "CANCELLED", actor, reason_code, note)
    if was_confirmed:
        _lines_stock(tx, vendor_id, doc, actor, commit=-1)
    return _save(tx, vendor_id, row, doc, "order.status_changed", actor)


@dataclass(frozen=True, slots=True)
class _Step:
    """One action being applied: the locked row, its document and who acts."""

    tx: Tx
    vendor_id: str
    row: Row[Any]
    doc: dict[str, Any]
    actor: dict[str, Any]

    def save(self, event: str) -> dict[str, Any]:
        return _save(self.tx, self.vendor_id, self.row, self.doc, event, self.actor)


def _ready_at(body: Any, default_minutes: int | None) -> str:
    if body.estimated_ready_at is not None:
        return clock.iso(body.estimated_ready_at)
    minutes = body.prep_minutes if body.prep_minutes is not None else default_minutes
    if minutes is None:
        raise field_error("/estimated_ready_at", "required",
                          "Send estimated_ready_at or prep_minutes")
    return clock.iso(clock.now() + timedelta(minutes=minutes))


def _accept(step: _Step, body: Any) -> tuple[dict[str, Any], bool]:
    doc, now = step.doc, clock.iso(clock.now())
    doc["fulfillment"]["estimated_ready_at"] = _ready_at(body, 15)
    doc.update(status="CONFIRMED", accepted_at=now,
               acknowledged_at=doc.get("acknowledged_at") or now)
    _history(doc, "CONFIRMED", step.actor, None, body.note)
    _lines_stock(step.tx, step.vendor_id, doc, step.actor, commit=+1)
    vendors.reset_timeouts(step.tx, step.vendor_id)
    return step.save("order.status_changed"), True


def _reject(step: _Step, body: Any) -> tuple[dict[str, Any], bool]:
    if body.mark_unavailable:
        for variant_id in body.unavailable_items or [
                line["variant_id"] for line in step.doc["line_items"]]:
            catalog.set_availability(step.tx, step.vendor_id, variant_id, "SOLD_OUT", None,
                                     step.actor)
    return cancel_in_tx(step.tx, step.vendor_id, step.row, step.doc, step.actor,
                        body.reason_code, body.explanation, "VENDOR_REJECTED"), True


def _cancel(step: _Step, body: Any) -> tuple[dict[str, Any], bool]:
    return cancel_in_tx(step.tx, step.vendor_id, step.row, step.doc, step.actor,
                        body.reason_code, body.explanation, "VENDOR_CANCELLED"), True


def _acknowledge(step: _Step, _body: Any) -> tuple[dict[str, Any], bool]:
    step.doc["acknowledged_at"] = clock.iso(clock.now())
    return step.save("order.acknowledged"), True


def _adjust(step: _Step, body: Any) -> tuple[dict[str, Any], bool]:
    new = _ready_at(body, None)
    if step.doc["fulfillment"].get("estimated_ready_at") == new:
        return step.doc, False
    step.doc["fulfillment"]["estimated_ready_at"] = new
    return step.save("order.ready_time_adjusted"), True


def _advance(step: _Step, action: str, body: Any) -> tuple[dict[str, Any], bool]:
    """start-preparing, mark-ready, dispatch, complete."""
    doc, fulfillment = step.doc, step.doc["fulfillment"]
    if action == "complete" and body.pickup_code is not None and (
            body.pickup_code != fulfillment.get("pickup_code")):
        raise field_error("/pickup_code", "pickup_code_mismatch", "Wrong pickup code")
    target = TRANSITIONS[action][1]
    assert target is not None
    doc["status"] = target
    if action == "dispatch":
        fulfillment["courier_name"] = body.courier_name
        fulfillment["tracking_url"] = body.tracking_url
    if action == "complete":
        doc["completed_at"] = clock.iso(clock.now())
        _lines_stock(step.tx, step.vendor_id, doc, step.actor, fulfil=True)
    _history(doc, target, step.actor)
    return step.save("order.status_changed"), True


_HANDLERS: dict[str, Callable[[_Step, Any], tuple[dict[str, Any], bool]]] = {
    "acknowledge": _acknowledge, "accept": _accept, "reject": _reject, "cancel": _cancel,
    "adjust-ready-time": _adjust,
}


def perform(tx: Tx, vendor_id: str, order_id: str, action: str, body: Any, *,
            actor: dict[str, Any], expected_version: int | None) -> tuple[dict[str, Any], bool]:
    """Apply a vendor action. Returns (order, changed)."""
    row = load_row(tx.conn, orders, vendor_id, order_id, "Order", for_update=True)
    doc = doc_of(row)
    if expected_version is not None and expected_version != row.version and not reached(
            action, doc):
        raise Problem(412, "version_mismatch",
                      f"Order {order_id} is at version {row.version}",
                      current_version=row.version)
    if action != "adjust-ready-time" and reached(action, doc):
        return doc, False
    if doc["status"] not in TRANSITIONS[action][0] or action not in allowed_actions(doc):
        raise Problem(409, "invalid_transition",
                      f"Cannot {action} an order that is {doc['status']}",
                      current_status=doc["status"], allowed_actions=allowed_actions(doc))
    step = _Step(tx, vendor_id, row, doc, actor)
    handler = _HANDLERS.get(action)
    if handler is not None:
        return handler(step, body)
    return _advance(step, action, body)


def expire_due(db: Database, timeouts_before_pause: int) -> tuple[list[str], int | None]:
    """Cancel PENDING orders past accept_by (VENDOR_TIMEOUT). Returns (cancelled ids,
    the next deadline in µs or None)."""
    now = clock.now_us()
    with db.read() as conn:
        due = conn.execute(select(orders.c.id, orders.c.vendor_id).where(
            orders.c.status == "PENDING", orders.c.accept_by_us <= now)).all()
    cancelled = []
    for order in due:
        with db.write() as tx:
            row = tx.conn.execute(select(orders).where(orders.c.id == order.id)
                                  .with_for_update()).one()
            if row.status != "PENDING" or row.accept_by_us is None or row.accept_by_us > now:
                continue
            cancel_in_tx(tx, row.vendor_id, row, doc_of(row), SYSTEM, "VENDOR_TIMEOUT", None,
                         "VENDOR_TIMEOUT")
            vendors.count_timeout(tx, row.vendor_id, timeouts_before_pause)
        cancelled.append(order.id)
    with db.read() as conn:
        nxt = conn.execute(select(orders.c.accept_by_us).where(orders.c.status == "PENDING")
                           .order_by(orders.c.accept_by_us).limit(1)).scalar()
    return cancelled, None if nxt is None else int(nxt)


def mark_customer_cancel(tx: Tx, vendor_id: str, order_id: str) -> dict[str, Any]:
    row = load_row(tx.conn, orders, vendor_id, order_id, "Order", for_update=True)
    doc = doc_of(row)
    if doc["status"] == "CANCELLED":
        return doc
    if doc["status"] != "PENDING":
        raise Problem(409, "invalid_transition", "The customer can cancel only before acceptance",
                      current_status=doc["status"], allowed_actions=[])
    from marketplace_sandbox.resources import CUSTOMER

    return cancel_in_tx(tx, vendor_id, row, doc, CUSTOMER, "CUSTOMER_REQUEST", None,
                        "CUSTOMER_REQUEST")

