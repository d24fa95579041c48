"""Rollups kept by triggers equal a full recomputation, whatever sequence of counter sales,
refunds, voids and order syncs (new orders, status changes, history, line edits, deletes)
was written — including times on both sides of the shop's DST changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from local_db.tables import order_lines, orders, sales
from local_db.writer import Tx
from tests.analytics.documents import (
    Item,
    U,
    add_history,
    add_product,
    delete_order,
    incremental_and_rebuilt,
    utc,
    write_order,
    write_sale,
    write_void,
)
from tests.conftest import ShopFixture
from vendor_console.services.sale_records import load_sale

# Instants around Dublin's 2026 DST changes and month/week ends, plus ordinary hours.
BASES = [utc(t) for t in ("2026-03-28T23:30:00Z", "2026-03-29T00:59:00Z",
                          "2026-03-29T01:00:00Z", "2026-03-31T23:30:00Z",
                          "2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z",
                          "2026-10-25T01:30:00Z", "2026-12-31T23:59:00Z",
                          "2026-06-15T12:00:00Z")]
STATUSES = ("PENDING", "CONFIRMED", "PREPARING", "READY", "COMPLETED", "CANCELLED")
times = st.builds(lambda base, minutes: base + timedelta(minutes=minutes),
                  st.sampled_from(BASES), st.integers(-90, 90))
lines = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4), st.integers(1, 5000)),
                 min_size=0, max_size=3)
ops = st.one_of(
    st.tuples(st.just("sale"), times, lines),
    st.tuples(st.just("refund"), times, st.integers(0, 50)),
    st.tuples(st.just("order"), times, lines, st.sampled_from(STATUSES)),
    st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(STATUSES)),
    st.tuples(st.just("history"), st.integers(0, 50), st.sampled_from(STATUSES), times,
              st.sampled_from(["vendor", "customer", "system", None]),
              st.sampled_from([None, "VENDOR_TIMEOUT", "TOO_BUSY"])),
    st.tuples(st.just("line"), st.integers(0, 50), st.integers(1, 6), st.integers(0, 9000)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("void"), times, st.integers(1, 900)),
)


@pytest.fixture
def items(shop: ShopFixture) -> list[Item | None]:
    return [add_product(shop.db, "Loaf", 450, "Bread"), add_product(shop.db, "Bun", 150, "Bread"),
            add_product(shop.db, "Mug", 1200), None]


def _apply(tx: Tx, shop: ShopFixture, items: list[Item | None], op: tuple[Any, ...]) -> None:
    kind = op[0]
    order_ids = [r[0] for r in tx.conn.execute(select(orders.c.id).order_by(orders.c.id))]
    pick = (lambda n: order_ids[n % len(order_ids)]) if order_ids else None
    if kind == "sale":
        _, at, spec = op
        write_sale(tx, shop, at, [(items[i], q * U, t) for i, q, t in spec] or
                   [(items[0], U, 450)])
    elif kind == "refund":
        _, at, n = op
        ids = [r[0] for r in tx.conn.execute(
            select(sales.c.id).where(sales.c.kind == "SALE").order_by(sales.c.id))]
        if ids:
            original = load_sale(tx.conn, ids[n % len(ids)])
            assert original is not None
            line = original.lines[0]
            write_sale(tx, shop, max(at, original.completed_at),
                       [(_item(items, line.variant_id), line.quantity, line.total // 2)],
                       refund_of=original)
    elif kind == "order":
        _, at, spec, status = op
        write_order(tx, at, [(items[i], q * U, t) for i, q, t in spec], status=status)
    elif kind == "status" and pick:
        tx.conn.execute(update(orders).where(orders.c.id == pick(op[1])).values(status=op[2]))
    elif kind == "history" and pick:
        _, n, status, at, actor, reason = op
        add_history(tx, pick(n), status, at, actor=actor, reason=reason)
    elif kind == "line" and pick:
        _, n, qty, total = op
        line_ids = [r[0] for r in tx.conn.execute(
            select(order_lines.c.id).where(order_lines.c.order_id == pick(n)))]
        if line_ids and total % 3 == 0:
            tx.conn.execute(delete(order_lines).where(order_lines.c.id == line_ids[0]))
        elif line_ids:
            tx.conn.execute(update(order_lines).where(order_lines.c.id == line_ids[0])
                            .values(quantity=qty * U, total=total))
    elif kind == "delete" and pick:
        delete_order(tx, pick(op[1]))
    elif kind == "void":
        write_void(tx, shop, op[1], op[2])


def _item(items: list[Item | None], variant_id: str | None) -> Item | None:
    return next((i for i in items if i is not None and i.variant_id == variant_id), None)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(ops, min_size=1, max_size=25), batched=st.booleans())
def test_rollups_equal_full_recomputation(shop: ShopFixture, items: list[Item | None],
                                          sequence: list[tuple[Any, ...]], batched: bool) -> None:
    """``batched``: the whole sequence in one transaction (a sync page) or one write each."""
    if batched:
        def all_at_once(tx: Tx) -> None:
            for op in sequence:
                _apply(tx, shop, items, op)

        shop.db.write(all_at_once)
    else:
        for op in sequence:
            shop.db.write(partial(_apply, shop=shop, items=items, op=op))
    incremental, rebuilt = incremental_and_rebuilt(shop.db)
    assert incremental == rebuilt


def test_a_status_change_moves_an_orders_lines_in_and_out(shop: ShopFixture,
                                                          items: list[Item | None]) -> None:
    """Shown directly too: an order counts only while COMPLETED."""
    at = datetime.fromisoformat("2026-06-15T12:00:00+00:00")
    order_id = shop.db.write(lambda tx: write_order(tx, at, [(items[0], 2 * U, 900)],
                                                    status="READY"))

    def product_net() -> int:
        with shop.db.read() as conn:
            return int(conn.exec_driver_sql(
                "SELECT coalesce(sum(net_total), 0) FROM analytics_product_daily").scalar_one())

    assert product_net() == 0
    shop.db.write(lambda tx: tx.conn.execute(
        update(orders).where(orders.c.id == order_id).values(status="COMPLETED")))
    assert product_net() == 900
    shop.db.write(lambda tx: tx.conn.execute(
        update(orders).where(orders.c.id == order_id).values(status="CANCELLED")))
    assert product_net() == 0


def test_a_line_replaced_with_insert_or_replace_is_not_counted_twice(
        shop: ShopFixture, items: list[Item | None]) -> None:
    """A mirror may rewrite a line in place with INSERT OR REPLACE: the replaced row's delete
    trigger must take its old contribution away (recursive_triggers is on)."""
    at = datetime.fromisoformat("2026-06-15T12:00:00+00:00")
    order_id = shop.db.write(lambda tx: write_order(tx, at, [(items[0], 2 * U, 900)]))

    def replace(tx: Tx) -> None:
        line_id = tx.conn.execute(select(order_lines.c.id)).scalar_one()
        tx.conn.exec_driver_sql(
            "INSERT OR REPLACE INTO order_lines (id, order_id, line_no, variant_id, name,"
            " quantity, unit_price, tax_rate_bp, tax_amount, total)"
            " VALUES (?, ?, 1, ?, 'Loaf', 3000, 450, 0, 0, 1350)",
            (line_id, order_id, items[0].variant_id if items[0] else None))

    shop.db.write(replace)
    incremental, rebuilt = incremental_and_rebuilt(shop.db)
    assert incremental == rebuilt
    assert [r[2:4] for r in incremental["analytics_product_daily"]] == [(3000, 1350)]
