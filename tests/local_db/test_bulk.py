"""The bulk loader writes every row, converts values like a Core insert, and is all-or-nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from local_db import tables
from local_db.bulk import bulk_insert, bulk_insert_values, search_index_deferred
from local_db.database import Database
from local_db.types import format_utc
from local_db.writer import Tx
from vendor_console.ids import new_id


def _category(db: Database) -> str:
    category_id = new_id()
    db.write(lambda tx: bulk_insert(tx.conn, tables.categories,
                                    [{"id": category_id, "name": "Breads"}]))
    return category_id


def _product(i: int, category_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": new_id(), "client_ref": new_id(), "name": f"Loaf {i}",
            "category_id": category_id, "dietary_tags": ["vegan"] if i % 2 else [],
            "search_keywords": f"loaf-{i}", **extra}


def _count(db: Database, table: Any) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_rows_across_chunk_boundaries_are_all_written(db: Database) -> None:
    category_id = _category(db)
    rows = [_product(i, category_id) for i in range(25)]
    written = db.write(lambda tx: bulk_insert(tx.conn, tables.products, rows, chunk=10))
    assert written == 25
    assert _count(db, tables.products) == 25
    with db.read() as conn:
        names = set(conn.execute(select(tables.products.c.name)).scalars())
    assert names == {f"Loaf {i}" for i in range(25)}


def test_values_are_converted_and_defaults_applied_like_core(db: Database) -> None:
    category_id = _category(db)
    when = datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
    rows = [_product(1, category_id, created_at=when, updated_at=format_utc(when))]
    db.write(lambda tx: bulk_insert(tx.conn, tables.products, rows))
    with db.read() as conn:
        product = conn.execute(select(tables.products)).one()
    assert product.dietary_tags == ["vegan"]  # JSON round trip
    assert product.created_at == when and product.updated_at == when
    assert product.visibility == "VISIBLE"  # Python-side default filled in
    assert product.availability == "AVAILABLE"
    assert product.description is None


def test_new_products_are_searchable(db: Database) -> None:
    category_id = _category(db)
    db.write(lambda tx: bulk_insert(tx.conn, tables.products,
                                    [_product(i, category_id) for i in range(5)]))
    with db.read() as conn:
        hits = conn.exec_driver_sql(
            "SELECT count(*) FROM product_search WHERE product_search MATCH 'loaf*'"
        ).scalar_one()
    assert hits == 5


def test_a_broken_foreign_key_rolls_back_the_whole_write(db: Database) -> None:
    category_id = _category(db)
    good = [_product(i, category_id) for i in range(12)]
    bad = _product(99, "no-such-category")

    def write(tx: Tx) -> int:
        return bulk_insert(tx.conn, tables.products, [*good, bad], chunk=5)

    with pytest.raises(IntegrityError):
        db.write(write)
    assert _count(db, tables.products) == 0


def test_order_lines_reference_their_orders(db: Database) -> None:
    stamp = format_utc(datetime(2025, 1, 1, tzinfo=UTC))
    order_ids = [new_id() for _ in range(3)]
    orders = [{"id": oid, "remote_id": f"ord_{n}", "version": 1, "number": str(n),
               "status": "COMPLETED", "currency": "EUR", "subtotal": 500, "tax_total": 0,
               "total": 500, "placed_at": stamp}
              for n, oid in enumerate(order_ids)]
    lines = [(new_id(), order_ids[n % 3], n, "Bun", 1000, 250, 0, 0, 250) for n in range(7)]

    def write(tx: Tx) -> int:
        bulk_insert(tx.conn, tables.orders, orders)
        return bulk_insert_values(tx.conn, tables.order_lines,
                                  ("id", "order_id", "line_no", "name", "quantity",
                                   "unit_price", "tax_rate_bp", "tax_amount", "total"),
                                  lines, chunk=2)

    assert db.write(write) == 7
    with db.read() as conn:
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id "
            "WHERE o.id IS NULL").scalar_one()
        per_order = conn.exec_driver_sql(
            "SELECT count(*) FROM order_lines GROUP BY order_id ORDER BY 1").scalars().all()
    assert orphans == 0
    assert per_order == [2, 2, 3]


def test_rows_with_different_keys_are_refused(db: Database) -> None:
    category_id = _category(db)
    rows = [_product(1, category_id), {"id": new_id(), "name": "Odd one"}]
    with pytest.raises(ValueError, match="same keys"):
        db.write(lambda tx: bulk_insert(tx.conn, tables.products, rows))
    assert _count(db, tables.products) == 0


def test_unknown_columns_are_refused(db: Database) -> None:
    with pytest.raises(KeyError, match="colour"):
        db.write(lambda tx: bulk_insert(tx.conn, tables.categories,
                                        [{"id": new_id(), "name": "X", "colour": "red"}]))


def test_nothing_to_insert_writes_nothing(db: Database) -> None:
    assert db.write(lambda tx: bulk_insert(tx.conn, tables.categories, [])) == 0
    assert _count(db, tables.categories) == 0


def test_deferred_search_index_finds_bulk_loaded_and_later_products(db: Database) -> None:
    category_id = _category(db)

    def load(tx: Tx) -> None:
        with search_index_deferred(tx.conn):
            bulk_insert(tx.conn, tables.products, [_product(i, category_id) for i in range(30)])

    db.write(load)
    db.write(lambda tx: bulk_insert(tx.conn, tables.products,
                                    [_product(100, category_id)
                                     | {"name": "Seeded Rye", "search_keywords": "rye"}]))
    with db.read() as conn:
        loaves = conn.exec_driver_sql(
            "SELECT count(*) FROM product_search WHERE product_search MATCH 'loaf*'").scalar_one()
        rye = conn.exec_driver_sql(
            "SELECT count(*) FROM product_search WHERE product_search MATCH 'rye'").scalar_one()
        trigger = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name = 'product_search_ai'").scalar_one()
    assert loaves == 30  # indexed in one pass when the block ended
    assert rye == 1  # the insert trigger is back for everything after
    assert trigger == 1
