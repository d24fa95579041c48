"""Reads behind the catalog table: the ordered ids that match a filter, and rows by id.

The catalog page never holds the whole catalog: :func:`matching_ids` returns only product ids
in display order (one indexed or FTS query), and :func:`rows_for` loads the few rows a view is
about to paint. Both run on a worker. Text uses the FTS index of migration 0002 (every token a
prefix of a word of the name or keywords: SKUs, barcodes, tags, category).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from local_db.database import Database
from local_db.search import match_expressions, tokens

SORT_KEYS = {
    "name": "p.name COLLATE NOCASE",
    "category": "(SELECT c.name FROM categories c WHERE c.id = p.category_id) COLLATE NOCASE",
    "price": "(SELECT min(v.price) FROM variants v WHERE v.product_id = p.id "
             "AND v.archived_at IS NULL)",
    "stock": "(SELECT coalesce(sum(s.on_hand), 0) FROM variants v JOIN stock_levels s "
             "ON s.variant_id = v.id WHERE v.product_id = p.id AND v.archived_at IS NULL)",
    "updated": "p.updated_at",
}

_LOW_STOCK = """EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id
   AND v.archived_at IS NULL AND v.track_inventory AND v.low_stock_threshold IS NOT NULL
   AND coalesce((SELECT sum(s.on_hand) FROM stock_levels s WHERE s.variant_id = v.id), 0)
       <= v.low_stock_threshold)"""


@dataclass(frozen=True, slots=True)
class CatalogFilter:
    """What the catalog page shows; every field narrows the list."""

    text: str = ""
    category_id: str | None = None
    dietary_tag: str | None = None
    visibility: str | None = None  # VISIBLE / HIDDEN
    availability: str | None = None  # AVAILABLE / SOLD_OUT
    low_stock: bool = False
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True, slots=True)
class CatalogRow:
    product_id: str
    name: str
    category: str | None
    sku: str | None  # the first variant's
    price_min: int
    price_max: int
    on_hand: int  # scaled, all variants and locations
    variant_count: int
    variant_id: str  # the first variant: what inline edits change on a one-variant product
    unit: str
    precision: int
    track_inventory: bool
    visibility: str
    availability: str
    dietary_tags: tuple[str, ...]
    low_stock: bool


def query_sql(f: CatalogFilter) -> tuple[str, list[Any]]:
    """The SELECT of product ids for ``f``, in display order, with its parameters."""
    if f.sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {f.sort!r}")
    joins, where = "", ["p.archived_at IS NULL"]
    params: list[Any] = []
    expressions = match_expressions(tokens(f.text))
    if expressions:
        joins = " JOIN product_search ON product_search.rowid = p.rowid"
        where.append("product_search MATCH ?")
        params.append(expressions[0])
    if f.category_id is not None:
        where.append("p.category_id = ?")
        params.append(f.category_id)
    if f.dietary_tag is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(p.dietary_tags) WHERE value = ?)")
        params.append(f.dietary_tag)
    if f.visibility is not None:
        where.append("p.visibility = ?")
        params.append(f.visibility)
    if f.availability is not None:
        where.append("p.availability = ?")
        params.append(f.availability)
    if f.low_stock:
        where.append(_LOW_STOCK)
    direction = "DESC" if f.descending else "ASC"
    sql = (f"SELECT p.id FROM products p{joins} WHERE {' AND '.join(where)} "
           f"ORDER BY {SORT_KEYS[f.sort]} {direction}, p.rowid {direction}")
    return sql, params


def matching_ids(conn: Connection, f: CatalogFilter) -> list[str]:
    sql, params = query_sql(f)
    return [row[0] for row in conn.exec_driver_sql(sql, tuple(params))]


_PRODUCTS_SQL = """
SELECT p.id, p.name, c.name, p.visibility, p.availability, p.dietary_tags FROM products p
  LEFT JOIN categories c ON c.id = p.category_id
 WHERE p.id IN (SELECT value FROM json_each(?))"""

_VARIANTS_SQL = """
SELECT v.product_id, v.id, v.sku, v.price, v.unit, v.precision, v.track_inventory,
       v.low_stock_threshold,
       coalesce((SELECT sum(s.on_hand) FROM stock_levels s WHERE s.variant_id = v.id), 0)
  FROM variants v
 WHERE v.product_id IN (SELECT value FROM json_each(?)) AND v.archived_at IS NULL
 ORDER BY v.product_id, v.position, v.rowid"""


def rows_for(conn: Connection, product_ids: list[str]) -> list[CatalogRow]:
    """The rows of these products (missing or variant-less ones are left out)."""
    if not product_ids:
        return []
    ids = orjson.dumps(product_ids).decode()
    variants: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.exec_driver_sql(_VARIANTS_SQL, (ids,)):
        variants.setdefault(row[0], []).append(tuple(row))
    found: dict[str, CatalogRow] = {}
    for pid, name, category, visibility, availability, tags in conn.exec_driver_sql(
        _PRODUCTS_SQL, (ids,)
    ):
        vs = variants.get(pid)
        if not vs:
            continue
        first = vs[0]
        prices = [v[3] for v in vs]
        low = any(v[6] and v[7] is not None and v[8] <= v[7] for v in vs)
        found[pid] = CatalogRow(
            product_id=pid, name=name, category=category, sku=first[2],
            price_min=min(prices), price_max=max(prices), on_hand=sum(int(v[8]) for v in vs),
            variant_count=len(vs), variant_id=first[1], unit=first[4], precision=first[5],
            track_inventory=bool(first[6]), visibility=visibility, availability=availability,
            dietary_tags=tuple(orjson.loads(tags or "[]")), low_stock=low,
        )
    return [found[pid] for pid in product_ids if pid in found]


def dietary_tags(conn: Connection) -> list[str]:
    """Every dietary tag in use, for the filter (a scan: call it on a worker)."""
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT j.value FROM products p, json_each(p.dietary_tags) j "
        "WHERE p.archived_at IS NULL ORDER BY 1")
    return [str(r[0]) for r in rows]


class CatalogTableReads:
    """The reads of the catalog page over one database (call every method on a worker)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def first_page(self, f: CatalogFilter, size: int) -> tuple[list[str], list[CatalogRow]]:
        """The ordered ids for ``f`` and the rows of the first ``size`` of them, in one read."""
        with self._db.read() as conn:
            ids = matching_ids(conn, f)
            return ids, rows_for(conn, ids[:size])

    def rows(self, product_ids: list[str]) -> list[CatalogRow]:
        with self._db.read() as conn:
            return rows_for(conn, product_ids)

    def tags(self) -> list[str]:
        with self._db.read() as conn:
            return dietary_tags(conn)
