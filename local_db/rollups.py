"""Analytics rollups: SQLite triggers keep per-day sums current as rows are written.

Every write of a counter sale or refund (``sales``, ``sale_lines``), a marketplace order
(``orders``, ``order_lines``, ``order_status_history``, from sync or the demo) and a voided line
(``audit_log``) adds its contribution to the rollup tables of ``local_db.models.analytics``, in
the same transaction. Deleting or changing such a row takes its old contribution away first.
:func:`rebuild` recomputes all rollups from the base tables; the tests check both agree.

Business days are shop-local calendar days. SQLite has no time zones, so
:func:`capture_timezone` stores the zone's UTC offsets with the instant each starts
(``analytics_tz``, from :mod:`zoneinfo`); the triggers look up the offset in force at each
row's UTC time, so days and hours stay right across DST changes.

What counts, and when:

- counter: a SALE document counts on the day it completed; a REFUND counts on the day it was
  paid back (a refund next month lowers next month, never the original day);
- marketplace: an order counts as sold while its status is COMPLETED, on the day it was
  placed; its funnel (placed, accepted, rejected, timed out, prep time) counts on that day too;
- products: net units and money per product (lines without a catalog variant under '').

Bulk loads (demo, large benchmark shops) wrap their inserts in :func:`rollups_deferred`: the
triggers are dropped, and one rebuild at the end replaces millions of per-row updates. The sync
bootstrap spans many transactions: it drops the triggers in its first and calls
:func:`restore` in its last; :meth:`local_db.database.Database.open` calls
:func:`restore_if_incomplete`, which repairs a bootstrap that a crash cut short.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from local_db.types import format_utc

ROLLUP_TABLES = ("analytics_daily", "analytics_hourly", "analytics_product_daily",
                 "analytics_product_monthly", "analytics_orders_daily")
TRIGGER_PREFIX = "an_"
EPOCH = "0001-01-01T00:00:00.000000Z"
_SCAN_FROM = datetime(1970, 1, 1, tzinfo=UTC)
ORDERS_PER_CHUNK = 50_000  # orders whose lines one rebuild step sums (about 30 MB of sort)
_IN_CHUNK = "o.rowid >= ? AND o.rowid < ?"
_SCAN_TO = datetime(2100, 1, 1, tzinfo=UTC)


# -- SQL building blocks --------------------------------------------------------------------

def off(ts: str) -> str:
    """The SQLite date modifier that turns UTC text ``ts`` into shop-local time."""
    return (f"(coalesce((SELECT offset_min FROM analytics_tz WHERE starts_at <= {ts} "
            f"ORDER BY starts_at DESC LIMIT 1), 0) || ' minutes')")


def day(ts: str) -> str:
    return f"date({ts}, {off(ts)})"


def month(ts: str) -> str:
    return f"strftime('%Y-%m', {ts}, {off(ts)})"


def hour(ts: str) -> str:
    return f"CAST(strftime('%H', {ts}, {off(ts)}) AS INTEGER)"


def product_of(variant_id: str) -> str:
    return f"coalesce((SELECT v_.product_id FROM variants v_ WHERE v_.id = {variant_id}), '')"


def when(cond: str, value: str) -> str:
    return f"CASE WHEN {cond} THEN {value} ELSE 0 END"


def upsert(table: str, keys: dict[str, str], values: dict[str, str], tail: str) -> str:
    """``INSERT … SELECT … {tail} ON CONFLICT DO UPDATE`` adding ``values`` to the row.
    ``tail`` must contain a WHERE (SQLite's upsert-after-SELECT parsing rule)."""
    columns = ", ".join([*keys, *values])
    exprs = ", ".join([*keys.values(), *values.values()])
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in values)
    return (f"INSERT INTO {table} ({columns}) SELECT {exprs} {tail} "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}")


def _zeros(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, "0")


# -- contributions of one row (r = new/old, s = +1/-1) ---------------------------------------

def _sale(r: str, s: int) -> list[str]:
    sale, refund = f"{r}.kind = 'SALE'", f"{r}.kind = 'REFUND'"
    ts = f"{r}.completed_at"
    return [
        upsert("analytics_daily", {"day": day(ts), "channel": "'counter'"}, {
            "sales_count": when(sale, str(s)), "sales_total": when(sale, f"{s} * {r}.total"),
            "refund_count": when(refund, str(s)),
            "refund_total": when(refund, f"{s} * {r}.total"),
            **_zeros("void_count", "void_total"),
        }, "WHERE 1"),
        upsert("analytics_hourly", {"day": day(ts), "hour": hour(ts)}, {
            "sales_count": when(sale, str(s)),
            "net_total": f"{s} * CASE WHEN {sale} THEN {r}.total ELSE -{r}.total END",
        }, "WHERE 1"),
    ]


def _product_values(s: int, qty: str, total: str, refund: str) -> dict[str, str]:
    k = f"CASE WHEN {refund} THEN {-s} ELSE {s} END"
    return {"quantity": f"{k} * {qty}", "net_total": f"{k} * {total}",
            "refund_quantity": when(refund, f"{s} * {qty}"),
            "refund_total": when(refund, f"{s} * {total}")}


def _sale_line(r: str, s: int) -> list[str]:
    values = _product_values(s, f"{r}.quantity", f"{r}.total", "s_.kind = 'REFUND'")
    tail = f"FROM sales s_ WHERE s_.id = {r}.sale_id"
    return [
        upsert("analytics_product_daily",
               {"day": day("s_.completed_at"), "product_id": product_of(f"{r}.variant_id")},
               values, tail),
        upsert("analytics_product_monthly",
               {"month": month("s_.completed_at"), "product_id": product_of(f"{r}.variant_id")},
               values, tail),
    ]


def _order(r: str, s: int, *, with_lines: bool) -> list[str]:
    done = f"WHERE {r}.status = 'COMPLETED'"
    ts = f"{r}.placed_at"
    statements = [
        upsert("analytics_daily", {"day": day(ts), "channel": "'marketplace'"}, {
            "sales_count": str(s), "sales_total": f"{s} * {r}.total",
            **_zeros("refund_count", "refund_total", "void_count", "void_total"),
        }, done),
        upsert("analytics_hourly", {"day": day(ts), "hour": hour(ts)},
               {"sales_count": str(s), "net_total": f"{s} * {r}.total"}, done),
        upsert("analytics_orders_daily", {"day": day(ts)}, {
            "placed": str(s), **_zeros("accepted", "rejected", "timed_out",
                                       "customer_cancelled", "prep_seconds", "prep_count"),
        }, "WHERE 1"),
    ]
    if with_lines:  # an order that becomes (or stops being) COMPLETED moves its lines
        values = {"quantity": f"{s} * sum(l_.quantity)", "net_total": f"{s} * sum(l_.total)",
                  **_zeros("refund_quantity", "refund_total")}
        tail = (f"FROM order_lines l_ WHERE l_.order_id = {r}.id AND {r}.status = 'COMPLETED' "
                f"GROUP BY 2")
        statements += [
            upsert("analytics_product_daily",
                   {"day": day(ts), "product_id": product_of("l_.variant_id")}, values, tail),
            upsert("analytics_product_monthly",
                   {"month": month(ts), "product_id": product_of("l_.variant_id")}, values, tail),
        ]
    return statements


def _order_line(r: str, s: int) -> list[str]:
    values = {"quantity": f"{s} * {r}.quantity", "net_total": f"{s} * {r}.total",
              **_zeros("refund_quantity", "refund_total")}
    tail = f"FROM orders o_ WHERE o_.id = {r}.order_id AND o_.status = 'COMPLETED'"
    return [
        upsert("analytics_product_daily",
               {"day": day("o_.placed_at"), "product_id": product_of(f"{r}.variant_id")},
               values, tail),
        upsert("analytics_product_monthly",
               {"month": month("o_.placed_at"), "product_id": product_of(f"{r}.variant_id")},
               values, tail),
    ]


def _prep_pairs(r: str, agg: str) -> str:
    """Sum (or count) over the CONFIRMED x READY pairs of one order that this row is part of."""
    def side(other: str, later: str, earlier: str) -> str:
        expr = ("count(*)" if agg == "count" else
                f"sum(CAST(round((julianday({later}) - julianday({earlier})) * 86400) "
                f"AS INTEGER))")
        return (f"(SELECT {expr} FROM order_status_history h_ WHERE h_.order_id = {r}.order_id "
                f"AND h_.status = '{other}')")
    return (f"coalesce(CASE {r}.status "
            f"WHEN 'READY' THEN {side('CONFIRMED', f'{r}.at', 'h_.at')} "
            f"WHEN 'CONFIRMED' THEN {side('READY', 'h_.at', f'{r}.at')} END, 0)")


def _history(r: str, s: int) -> list[str]:
    cancelled = f"{r}.status = 'CANCELLED'"
    return [upsert("analytics_orders_daily", {"day": day("o_.placed_at")}, {
        "placed": "0",
        "accepted": when(f"{r}.status = 'CONFIRMED'", str(s)),
        "rejected": when(f"{cancelled} AND {r}.actor_type = 'vendor'", str(s)),
        "timed_out": when(f"{cancelled} AND {r}.reason_code = 'VENDOR_TIMEOUT'", str(s)),
        "customer_cancelled": when(f"{cancelled} AND {r}.actor_type = 'customer'", str(s)),
        "prep_seconds": f"{s} * {_prep_pairs(r, 'sum')}",
        "prep_count": f"{s} * {_prep_pairs(r, 'count')}",
    }, f"FROM orders o_ WHERE o_.id = {r}.order_id")]


def _void(r: str) -> list[str]:
    return [upsert("analytics_daily", {"day": day(f"{r}.at"), "channel": "'counter'"}, {
        **_zeros("sales_count", "sales_total", "refund_count", "refund_total"),
        "void_count": "1",
        "void_total": f"coalesce(json_extract({r}.details, '$.amount'), 0)",
    }, f"WHERE {r}.action = 'void_line'")]


def _trigger(name: str, event: str, statements: list[str], condition: str = "") -> str:
    body = ";\n    ".join(statements)
    when_clause = f" WHEN {condition}" if condition else ""
    return f"CREATE TRIGGER {TRIGGER_PREFIX}{name} {event}{when_clause} BEGIN\n    {body};\nEND"


def trigger_ddl() -> list[str]:
    """The CREATE TRIGGER statements (migration 0007 runs them; deferral re-runs them)."""
    changed_order = ("old.status IS NOT new.status OR old.total IS NOT new.total "
                     "OR old.placed_at IS NOT new.placed_at")
    return [
        _trigger("sales_ai", "AFTER INSERT ON sales", _sale("new", 1)),
        _trigger("sales_ad", "AFTER DELETE ON sales", _sale("old", -1)),
        _trigger("sale_lines_ai", "AFTER INSERT ON sale_lines", _sale_line("new", 1)),
        _trigger("sale_lines_ad", "AFTER DELETE ON sale_lines", _sale_line("old", -1)),
        _trigger("orders_ai", "AFTER INSERT ON orders", _order("new", 1, with_lines=False)),
        _trigger("orders_ad", "AFTER DELETE ON orders", _order("old", -1, with_lines=False)),
        _trigger("orders_au", "AFTER UPDATE OF status, total, placed_at ON orders",
                 _order("old", -1, with_lines=True) + _order("new", 1, with_lines=True),
                 changed_order),
        _trigger("order_lines_ai", "AFTER INSERT ON order_lines", _order_line("new", 1)),
        _trigger("order_lines_ad", "AFTER DELETE ON order_lines", _order_line("old", -1)),
        _trigger("order_lines_au",
                 "AFTER UPDATE OF quantity, total, variant_id, order_id ON order_lines",
                 _order_line("old", -1) + _order_line("new", 1)),
        _trigger("history_ai", "AFTER INSERT ON order_status_history", _history("new", 1)),
        _trigger("history_ad", "AFTER DELETE ON order_status_history", _history("old", -1)),
        _trigger("voids_ai", "AFTER INSERT ON audit_log", _void("new"),
                 "new.action = 'void_line'"),
    ]


def trigger_names(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'an\\_%' "
        "ESCAPE '\\' ORDER BY name")]


def drop_triggers(conn: Connection) -> None:
    for name in trigger_names(conn):
        conn.exec_driver_sql(f"DROP TRIGGER {name}")


def create_triggers(conn: Connection) -> None:
    for statement in trigger_ddl():
        conn.exec_driver_sql(statement)


def expected_trigger_names() -> list[str]:
    """The names :func:`create_triggers` creates, sorted like :func:`trigger_names`."""
    return sorted(statement.split()[2] for statement in trigger_ddl())


def triggers_complete(conn: Connection) -> bool:
    return trigger_names(conn) == expected_trigger_names()


def restore(conn: Connection) -> None:
    """Rebuild the rollups and (re)create all triggers, whatever set of them is there now:
    the end of a deferral that ran in its own transactions (the sync bootstrap), and the
    repair of one that a crash cut short. Runs in the caller's transaction."""
    drop_triggers(conn)
    rebuild(conn)
    create_triggers(conn)


def restore_if_incomplete(conn: Connection) -> bool:
    """:func:`restore` if any trigger is missing (a bootstrap died with the rollups deferred);
    returns whether it did. Runs in the caller's transaction."""
    if triggers_complete(conn):
        return False
    restore(conn)
    return True


# -- rebuild --------------------------------------------------------------------------------

_FUNNEL = {  # funnel column -> the history row (alias h) that counts for it
    "accepted": "h.status = 'CONFIRMED'",
    "rejected": "h.status = 'CANCELLED' AND h.actor_type = 'vendor'",
    "timed_out": "h.status = 'CANCELLED' AND h.reason_code = 'VENDOR_TIMEOUT'",
    "customer_cancelled": "h.status = 'CANCELLED' AND h.actor_type = 'customer'",
}


def _rebuild_sql() -> list[str]:
    product_sales = {name: f"sum({expr})" for name, expr in
                     _product_values(1, "l.quantity", "l.total", "s.kind = 'REFUND'").items()}
    order_products = {"quantity": "sum(q)", "net_total": "sum(t)",
                      **_zeros("refund_quantity", "refund_total")}
    # Order lines summed per (local day, variant) first, then per product: the per-row work
    # (time-zone and product look-ups) on a million lines was most of the rebuild.
    # One range of orders (by rowid) at a time, each adding to the rows before it: the sort
    # behind a GROUP BY over a million lines stays in memory whole (temp_store=MEMORY).
    order_lines_by_day = (f"FROM (SELECT {day('o.placed_at')} AS d, l.variant_id AS v, "
                          "sum(l.quantity) AS q, sum(l.total) AS t FROM orders o "
                          "JOIN order_lines l ON l.order_id = o.id "
                          f"WHERE o.status = 'COMPLETED' AND {_IN_CHUNK} "
                          "GROUP BY 1, 2) WHERE 1 GROUP BY 1, 2")
    by_month = {name: f"sum({name})" for name in
                ("quantity", "net_total", "refund_quantity", "refund_total")}
    sale, refund = "s.kind = 'SALE'", "s.kind = 'REFUND'"
    pairs = ("FROM order_status_history r JOIN order_status_history c "
             "ON c.order_id = r.order_id AND c.status = 'CONFIRMED' "
             "JOIN orders o ON o.id = r.order_id WHERE r.status = 'READY'")
    return [
        *(f"DELETE FROM {t}" for t in ROLLUP_TABLES),
        upsert("analytics_daily", {"day": day("s.completed_at"), "channel": "'counter'"}, {
            "sales_count": f"sum({when(sale, '1')})",
            "sales_total": f"sum({when(sale, 's.total')})",
            "refund_count": f"sum({when(refund, '1')})",
            "refund_total": f"sum({when(refund, 's.total')})",
            **_zeros("void_count", "void_total"),
        }, "FROM sales s WHERE 1 GROUP BY 1"),
        upsert("analytics_daily", {"day": day("o.placed_at"), "channel": "'marketplace'"}, {
            "sales_count": "count(*)", "sales_total": "sum(o.total)",
            **_zeros("refund_count", "refund_total", "void_count", "void_total"),
        }, "FROM orders o WHERE o.status = 'COMPLETED' GROUP BY 1"),
        upsert("analytics_daily", {"day": day("a.at"), "channel": "'counter'"}, {
            **_zeros("sales_count", "sales_total", "refund_count", "refund_total"),
            "void_count": "count(*)",
            "void_total": "sum(coalesce(json_extract(a.details, '$.amount'), 0))",
        }, "FROM audit_log a WHERE a.action = 'void_line' GROUP BY 1"),
        upsert("analytics_hourly", {"day": day("s.completed_at"), "hour": hour("s.completed_at")}, {
            "sales_count": f"sum({when(sale, '1')})",
            "net_total": f"sum(CASE WHEN {sale} THEN s.total ELSE -s.total END)",
        }, "FROM sales s WHERE 1 GROUP BY 1, 2"),
        upsert("analytics_hourly", {"day": day("o.placed_at"), "hour": hour("o.placed_at")},
               {"sales_count": "count(*)", "net_total": "sum(o.total)"},
               "FROM orders o WHERE o.status = 'COMPLETED' GROUP BY 1, 2"),
        upsert("analytics_product_daily",
               {"day": day("s.completed_at"), "product_id": product_of("l.variant_id")},
               product_sales,
               "FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE 1 GROUP BY 1, 2"),
        upsert("analytics_product_daily", {"day": "d", "product_id": product_of("v")},
               order_products, order_lines_by_day),
        # a month is the sum of its local days (month(ts) is the first 7 characters of day(ts))
        upsert("analytics_product_monthly",
               {"month": "substr(day, 1, 7)", "product_id": "product_id"}, by_month,
               "FROM analytics_product_daily WHERE 1 GROUP BY 1, 2"),
        upsert("analytics_orders_daily", {"day": day("o.placed_at")}, {
            "placed": "count(*)", **_zeros("accepted", "rejected", "timed_out",
                                           "customer_cancelled", "prep_seconds", "prep_count"),
        }, "FROM orders o WHERE 1 GROUP BY 1"),
        upsert("analytics_orders_daily", {"day": day("o.placed_at")}, {
            "placed": "0",
            **{name: f"sum({when(cond, '1')})" for name, cond in _FUNNEL.items()},
            **_zeros("prep_seconds", "prep_count"),
        }, "FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE 1 GROUP BY 1"),
        upsert("analytics_orders_daily", {"day": day("o.placed_at")}, {
            **_zeros("placed", "accepted", "rejected", "timed_out", "customer_cancelled"),
            "prep_seconds": "sum(CAST(round((julianday(r.at) - julianday(c.at)) * 86400) "
                            "AS INTEGER))",
            "prep_count": "count(*)",
        }, f"{pairs} GROUP BY 1"),
    ]


def rebuild(conn: Connection) -> None:
    """Recompute every rollup from the base tables, inside the caller's transaction."""
    low, high = conn.exec_driver_sql("SELECT min(rowid), max(rowid) FROM orders").one()
    for statement in _rebuild_sql():
        if _IN_CHUNK not in statement:
            conn.exec_driver_sql(statement)
            continue
        for start in range(int(low or 0), int(high or 0) + 1, ORDERS_PER_CHUNK):
            conn.exec_driver_sql(statement, (start, start + ORDERS_PER_CHUNK))


@contextmanager
def rollups_deferred(conn: Connection) -> Iterator[None]:
    """Inside the block, writes do not touch the rollups; at its end one :func:`rebuild`
    brings them up to date and the triggers come back. Use it in the caller's transaction, so
    a failure rolls everything back together. Nested use defers to the outer block."""
    if not trigger_names(conn):
        yield
        return
    drop_triggers(conn)
    yield
    rebuild(conn)
    create_triggers(conn)


# -- time zone ------------------------------------------------------------------------------

def offsets(zone: str) -> list[tuple[str, int]]:
    """(UTC start, offset in minutes) for every offset period of ``zone`` from 1970 to 2100,
    the first one starting at :data:`EPOCH`. Raises ``ValueError`` for an unknown zone."""
    try:
        tz = ZoneInfo(zone)
    except Exception as exc:  # ZoneInfoNotFoundError, or a malformed key
        raise ValueError(f"unknown time zone {zone!r}") from exc

    def minutes(at: datetime) -> int:
        delta = at.astimezone(tz).utcoffset() or timedelta(0)
        return int(delta.total_seconds() // 60)

    rows = [(EPOCH, minutes(_SCAN_FROM))]
    at, current = _SCAN_FROM, rows[0][1]
    step = timedelta(days=1)
    while at < _SCAN_TO:
        nxt = at + step
        if minutes(nxt) != current:
            lo, hi = at, nxt  # offset(lo) == current != offset(hi): find the minute
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    mid = lo + timedelta(minutes=1)
                if minutes(mid) == current:
                    lo = mid
                else:
                    hi = mid
            current = minutes(hi)
            rows.append((format_utc(hi), current))
        at = nxt
    return rows


def captured_zone(conn: Connection) -> str | None:
    row = conn.exec_driver_sql("SELECT zone FROM analytics_tz LIMIT 1").first()
    return None if row is None else str(row[0])


def capture_timezone(conn: Connection, zone: str,
                     zone_offsets: list[tuple[str, int]] | None = None) -> bool:
    """Store ``zone``'s offsets for the triggers; if it differs from the captured one,
    rebuild the rollups in it. Returns whether anything changed. Runs in the caller's
    transaction; ``zone_offsets`` (from :func:`offsets`) may be computed before it, so the
    writer is not held meanwhile."""
    if captured_zone(conn) == zone:
        return False
    rows = offsets(zone) if zone_offsets is None else zone_offsets
    conn.exec_driver_sql("DELETE FROM analytics_tz")
    conn.exec_driver_sql("INSERT INTO analytics_tz (starts_at, offset_min, zone) VALUES (?, ?, ?)",
                         [(start, minutes, zone) for start, minutes in rows])
    rebuild(conn)
    return True
