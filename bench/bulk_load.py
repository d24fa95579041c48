"""1. Bulk insert: products + order lines through local_db.bulk vs raw sqlite3 executemany.

Each path gets its own fresh database with the same migrations and the writer's pragmas, the
same parent rows (categories, orders; untimed) and the same row values. Timed: inserting the
products (with the search-index trigger the schema has) and the order lines, and the commit.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from bench.common import Report, fresh_database, fresh_raw, timed, verdict
from local_db import tables
from local_db.bulk import bulk_insert, bulk_insert_values, insert_sql
from local_db.writer import Tx
from vendor_console.ids import new_id

STAMP = "2025-06-01T10:00:00.000000Z"
P_COLS = ("id", "client_ref", "name", "description", "category_id", "dietary_tags", "visibility",
          "availability", "search_keywords", "created_at", "updated_at")
L_COLS = ("id", "order_id", "line_no", "name", "sku", "quantity", "unit_price", "tax_rate_bp",
          "tax_amount", "total")
O_COLS = ("id", "remote_id", "version", "number", "status", "fulfillment_type", "currency",
          "subtotal", "tax_total", "delivery_fee", "total", "placed_at", "extra", "created_at",
          "updated_at")


def _data(products: int, lines: int) -> dict[str, Any]:
    rng = random.Random(11)
    categories = [(new_id(), f"Category {i}", i, STAMP, STAMP) for i in range(20)]
    orders = [(new_id(), f"ord_b{i:09d}", 1, str(i), "COMPLETED", "PICKUP", "EUR", 0, 0, 0, 0,
               STAMP, "{}", STAMP, STAMP) for i in range(max(1, (lines + 2) // 3))]
    prows = [(new_id(), new_id(), f"Rustic Loaf {i}", f"A loaf, number {i}",
              categories[i % 20][0], "[]", "VISIBLE", "AVAILABLE", f"LOAF-{i:07d}", STAMP, STAMP)
             for i in range(products)]
    lrows = [(new_id(), orders[i // 3][0], i % 3 + 1, "Rustic Loaf", f"LOAF-{i % 9999:07d}",
              1000 * rng.randint(1, 3), 450, 1350, 54, 450) for i in range(lines)]
    return {"categories": categories, "orders": orders, "products": prows, "lines": lrows}


def _parents_raw(conn: Any, data: dict[str, Any]) -> None:
    conn.execute("BEGIN")
    conn.executemany(insert_sql(tables.categories, ("id", "name", "position", "created_at",
                                                     "updated_at")), data["categories"])
    conn.executemany(insert_sql(tables.orders, O_COLS), data["orders"])
    conn.execute("COMMIT")


def run(report: Report, work: Path, *, products: int, lines: int) -> None:
    print(f"[1] bulk insert: {products:,} products + {lines:,} order lines", flush=True)
    data = _data(products, lines)
    pdicts = [dict(zip(P_COLS, r, strict=True)) | {"dietary_tags": []} for r in data["products"]]
    ldicts = [dict(zip(L_COLS, r, strict=True)) for r in data["lines"]]

    raw = fresh_raw(work / "bulk_raw.db")
    _parents_raw(raw, data)

    def raw_load() -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany(insert_sql(tables.products, P_COLS), data["products"])
        raw.executemany(insert_sql(tables.order_lines, L_COLS), data["lines"])
        raw.execute("COMMIT")

    raw_s = timed(raw_load)
    raw.close()

    results: dict[str, float] = {}
    for label in ("dicts", "tuples"):
        db = fresh_database(work / f"bulk_{label}.db")
        conn = db.engine.raw_connection()
        _parents_raw(conn.driver_connection, data)
        conn.close()
        def load(tx: Tx, label: str = label) -> None:
            if label == "dicts":
                bulk_insert(tx.conn, tables.products, pdicts)
                bulk_insert(tx.conn, tables.order_lines, ldicts)
            else:
                bulk_insert_values(tx.conn, tables.products, P_COLS, data["products"])
                bulk_insert_values(tx.conn, tables.order_lines, L_COLS, data["lines"])

        results[label] = timed(lambda db=db, load=load: db.write(load))  # type: ignore[misc]
        db.close()
    rows = products + lines
    base = f"{raw_s:.2f} s, {rows / raw_s:,.0f} rows/s"
    for label, seconds in results.items():
        ratio = raw_s / seconds
        name = ("bulk_insert (dicts, the general API)" if label == "dicts"
                else "bulk_insert_values (tuples)")
        report.add("1 bulk insert", name,
                   f"{seconds:.2f} s, {rows / seconds:,.0f} rows/s = {ratio:.2f}x raw", base,
                   ">= 0.5x raw", verdict(ratio >= 0.5))
