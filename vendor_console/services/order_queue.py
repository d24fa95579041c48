"""The order queue as the Orders page shows it: plain records read from the mirror (in a
worker), lanes by status, the accept-by countdown in server time and which actions may run.

No Qt here. The page calls :func:`load_queue` off the GUI thread whenever sync or a local
action changes an order, and the pure helpers on the GUI thread every second.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.types import parse_utc, utc_now

LANES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("new", "New", frozenset({"PENDING"})),
    ("accepted", "Accepted", frozenset({"CONFIRMED"})),
    ("preparing", "Preparing", frozenset({"PREPARING"})),
    ("ready", "Ready", frozenset({"READY"})),
    ("out", "Out for delivery", frozenset({"OUT_FOR_DELIVERY"})),
    ("done", "Done", frozenset({"COMPLETED"})),
    ("cancelled", "Cancelled", frozenset({"CANCELLED"})),
)
# Finished orders older than this stay in the history (and analytics), not in the queue.
FINISHED_DAYS = 2


def lane_of(status: str) -> str:
    for key, _title, statuses in LANES:
        if status in statuses:
            return key
    return "new" if status == "UNKNOWN" else "done"


@dataclass(frozen=True, slots=True)
class OrderLineView:
    name: str
    quantity: str
    total: int
    note: str | None
    dietary_tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderCard:
    id: str
    remote_id: str
    number: str
    status: str
    server_status: str | None
    fulfillment_type: str
    customer_name: str | None
    customer_note: str | None
    pickup_code: str | None
    currency: str
    total: int
    placed_at: datetime
    accept_by: datetime | None
    estimated_ready_at: datetime | None
    acknowledged_at: datetime | None
    delivery_address: str | None
    lines: tuple[OrderLineView, ...]

    @property
    def lane(self) -> str:
        return lane_of(self.status)

    @property
    def dietary_tags(self) -> tuple[str, ...]:
        return tuple(sorted({t for line in self.lines for t in line.dietary_tags}))


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an action shown on screen was taken back (the marketplace refused it)."""

    issue_id: str
    order_id: str
    message: str


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    orders: tuple[OrderCard, ...]
    skew_ms: int
    explanations: tuple[Explanation, ...]
    acknowledging: frozenset[str]  # acknowledgements queued, not yet confirmed

    def lane(self, key: str) -> list[OrderCard]:
        return [o for o in self.orders if o.lane == key]

    def find(self, order_id: str) -> OrderCard | None:
        return next((o for o in self.orders if o.id == order_id), None)


def _ts(value: object) -> datetime | None:
    return None if value is None else parse_utc(str(value))


def _qty(scaled: int) -> str:
    return f"{scaled / 1000:g}"


def _extra_address(extra: str | None) -> str | None:
    try:
        data = orjson.loads(extra or "{}")
    except orjson.JSONDecodeError:
        return None
    fulfillment = data.get("fulfillment") if isinstance(data, dict) else None
    if not isinstance(fulfillment, dict):
        return None
    parts = []
    delivery = fulfillment.get("delivery")
    if isinstance(delivery, dict) and delivery.get("address"):
        parts.append(f"Deliver to {delivery['address']}")
    if fulfillment.get("scheduled_for"):
        parts.append(f"scheduled for {fulfillment['scheduled_for']}")
    return ", ".join(parts) or None


def read_queue(conn: sqlite3.Connection, *, now: datetime | None = None) -> QueueSnapshot:
    since = ((now or utc_now()) - timedelta(days=FINISHED_DAYS)).strftime("%Y-%m-%d")
    rows = conn.execute(
        "SELECT id, remote_id, number, status, server_status, fulfillment_type, customer_name, "
        "customer_note, pickup_code, currency, total, placed_at, accept_by, estimated_ready_at, "
        "acknowledged_at, extra FROM orders WHERE status NOT IN ('COMPLETED', 'CANCELLED') "
        "OR placed_at >= ? ORDER BY placed_at", (since,)).fetchall()
    ids = [r[0] for r in rows]
    lines: dict[str, list[OrderLineView]] = {i: [] for i in ids}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        for order_id, name, quantity, total, note, tags in conn.execute(
                "SELECT l.order_id, l.name, l.quantity, l.total, l.note, p.dietary_tags "
                "FROM order_lines l LEFT JOIN variants v ON v.id = l.variant_id "
                f"LEFT JOIN products p ON p.id = v.product_id WHERE l.order_id IN ({marks}) "
                "ORDER BY l.order_id, l.line_no", part):
            parsed = orjson.loads(tags) if tags else []
            lines[order_id].append(OrderLineView(name, _qty(quantity), total, note,
                                                 tuple(str(t) for t in parsed)))
    orders = tuple(OrderCard(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], parse_utc(r[11]),
        _ts(r[12]), _ts(r[13]), _ts(r[14]), _extra_address(r[15]), tuple(lines[r[0]]))
        for r in rows)
    skew = conn.execute("SELECT clock_skew_ms FROM sync_cursors WHERE stream = 'changes'"
                        ).fetchone()
    issues = tuple(Explanation(str(i), str(o), str(m)) for i, o, m in conn.execute(
        "SELECT id, resource_id, message FROM sync_issues WHERE kind = 'order_reverted' AND "
        "resolved_at IS NULL ORDER BY created_at"))
    acking = frozenset(str(r[0]) for r in conn.execute(
        "SELECT resource_id FROM outbox WHERE resource_type = 'order' AND "
        "operation = 'acknowledge' AND status = 'PENDING'"))
    return QueueSnapshot(orders, int(skew[0]) if skew else 0, issues, acking)


def load_queue(db: Database) -> QueueSnapshot:
    """The queue as it is now (blocking: call from a worker)."""
    with db.read() as conn:
        return read_queue(dbapi(conn))


def server_now(skew_ms: int, now: datetime | None = None) -> datetime:
    return (now or utc_now()) + timedelta(milliseconds=skew_ms)


def seconds_left(order: OrderCard, skew_ms: int, now: datetime | None = None) -> int | None:
    """Seconds until ``accept_by`` by the marketplace's clock; None when there is none."""
    if order.status != "PENDING" or order.accept_by is None:
        return None
    left = (order.accept_by - server_now(skew_ms, now)).total_seconds()
    return max(0, int(left))


def countdown_text(left: int | None) -> str:
    if left is None:
        return ""
    if left <= 0:
        return "deadline passed"
    return f"{left // 60}:{left % 60:02d} left to accept"


# Actions that only count if the marketplace hears them before ``accept_by``.
DEADLINE_ACTIONS = frozenset({"accept", "reject"})


def action_block(order: OrderCard, action: str, *, online: bool, skew_ms: int,
                 now: datetime | None = None) -> str | None:
    """Why ``action`` cannot run on ``order`` now, or None when it can."""
    from vendor_console.services.orders import TRANSITIONS

    sources = TRANSITIONS[action][0]
    if order.status not in sources:
        return f"Order {order.number} is {order.status.lower().replace('_', ' ')}."
    if action in DEADLINE_ACTIONS:
        left = seconds_left(order, skew_ms, now)
        if left is not None and left <= 0:
            return f"The accept deadline for order {order.number} has passed."
        if not online:
            return ("Offline: this would not reach the marketplace before the accept "
                    "deadline. Reconnect to accept or reject.")
    if action == "dispatch" and order.fulfillment_type != "DELIVERY":
        return "Only delivery orders are dispatched."
    return None
