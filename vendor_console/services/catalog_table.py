"""Reads behind the catalog table: the ordered ids that match a filter, and rows by id.

The catalog page never holds the whole catalog: :func:`matching_ids` returns only product ids
in display order (one indexed or FTS query), and :func:`rows_for` loads the few rows a view is
about to paint. Both run on a worker. Text uses the FTS index of migration 0002 (every token a
prefix of a word of the name or keywords: SKUs, barcodes, tags, category).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.search import match_expressions, tokens
from vendor_console.services.catalog_prefix import PrefixPostings, in_order, single_character

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
    rowid: int  # the product's SQLite rowid: how the table keys its rows
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


def _filter_sql(f: CatalogFilter) -> tuple[str, list[Any]] | None:
    """Live products passing ``f``'s non-text filters, as ``x`` (None = no such filter)."""
    where: list[str] = []
    params: list[Any] = []
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
    if not where:
        return None
    return ("SELECT p.rowid AS x FROM products p WHERE p.archived_at IS NULL AND "
            + " AND ".join(where), params)


def order_sql(sort: str) -> str:
    """Every live product's rowid in ``sort`` order (ascending; descending is its reverse)."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}")
    return (f"SELECT p.rowid AS x FROM products p WHERE p.archived_at IS NULL "
            f"ORDER BY {SORT_KEYS[sort]}, p.rowid")


_MATCH_SQL = "SELECT rowid AS x FROM product_search WHERE product_search MATCH ?"
TEXT_CACHE = 32


def _rowids(conn: Connection, sql: str, params: list[Any] | None = None) -> list[int]:
    """The first column of ``sql`` as one JSON array, in its order: one string to parse
    instead of a tuple per row (fewer objects for the garbage collector per keystroke)."""
    row = dbapi(conn).execute(f"SELECT json_group_array(x) FROM ({sql})",
                              tuple(params or ())).fetchone()
    return list(orjson.loads(row[0])) if row and row[0] else []


class _Order:
    __slots__ = ("position", "rowids")

    def __init__(self, rowids: list[int]) -> None:
        self.rowids = rowids
        self.position = {r: i for i, r in enumerate(rowids)}


class MatchCache:
    """What ``matching`` reuses between keystrokes: each sort's full order, and the rowid sets
    of the non-text filters. Dropped by ``invalidate`` after any catalog change (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._orders: dict[str, _Order] = {}
        self._sets: dict[tuple[Any, ...], frozenset[int]] = {}
        self._texts: dict[str, frozenset[int]] = {}  # FTS expression -> rowids, newest last
        self._prefixes: dict[str, PrefixPostings] = {}  # sort -> one-character postings

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._orders.clear()
            self._sets.clear()
            self._texts.clear()
            self._prefixes.clear()

    def _postings(self, sort: str) -> tuple[PrefixPostings, int]:
        with self._lock:
            return self._prefixes.setdefault(sort, PrefixPostings()), self._generation

    def prefix(self, conn: Connection, sort: str, char: str) -> list[int] | None:
        """The live products matching the one-character query ``char`` in ``sort``'s
        ascending order (shared: do not change it); built on first use, then kept until the
        catalog changes. None if the catalog changed while it was being built."""
        postings, generation = self._postings(sort)
        found = postings.get(char)
        if found is not None:
            return found
        order = self.order(conn, sort)
        expression = match_expressions([char])[0]
        made = in_order(order.rowids, order.position, _rowids(conn, _MATCH_SQL, [expression]))
        with self._lock:
            if generation != self._generation:
                return None
        postings.put(char, made)
        return made

    def warm_prefixes(self, conn: Connection, sort: str = "name") -> int:
        """Build the one-character postings of every letter and digit not built yet (on a
        worker, after the page opened or the catalog changed). Returns how many were built."""
        postings, _ = self._postings(sort)
        return postings.warm(lambda char: self.prefix(conn, sort, char))

    def prefixes_built(self, sort: str = "name") -> int:
        return len(self._postings(sort)[0])

    def text(self, conn: Connection, expression: str) -> frozenset[int]:
        """The rowids matching an FTS expression; the last ``TEXT_CACHE`` are kept (typing,
        backspacing and typing again asks the same prefixes)."""
        with self._lock:
            found, generation = self._texts.pop(expression, None), self._generation
            if found is not None:
                self._texts[expression] = found
                return found
        made = frozenset(_rowids(conn, _MATCH_SQL, [expression]))
        with self._lock:
            if generation == self._generation:
                self._texts[expression] = made
                while len(self._texts) > TEXT_CACHE:
                    del self._texts[next(iter(self._texts))]
        return made

    def has_order(self, sort: str) -> bool:
        with self._lock:
            return sort in self._orders

    def order(self, conn: Connection, sort: str) -> _Order:
        with self._lock:
            found, generation = self._orders.get(sort), self._generation
        if found is not None:
            return found
        made = _Order(_rowids(conn, order_sql(sort)))
        with self._lock:
            if generation == self._generation:
                self._orders[sort] = made
        return made

    def filtered(self, conn: Connection, f: CatalogFilter) -> frozenset[int] | None:
        query = _filter_sql(f)
        if query is None:
            return None
        sql, params = query
        key = (sql, *params)
        with self._lock:
            found, generation = self._sets.get(key), self._generation
        if found is not None:
            return found
        made = frozenset(_rowids(conn, sql, params))
        with self._lock:
            if generation == self._generation:
                self._sets[key] = made
        return made


def matching(conn: Connection, f: CatalogFilter, cache: MatchCache | None = None) -> list[int]:
    """The rowids of the live products matching ``f``, in display order (read-only: without
    filters this is the cached order itself).

    The order comes from an index scan (name) or one sorted query, cached; the text filter is
    an FTS5 prefix match on name and keywords (a set of rowids); the other filters are cached
    sets. The result is the order restricted to the intersection: by walking the order when
    most products match, or by sorting the few matches by their position. A one-character
    query (the widest, slowest match) is read from postings already in order
    (``catalog_prefix``), narrowed by the other filters if any."""
    cache = cache or MatchCache()
    order = cache.order(conn, f.sort)
    words = tokens(f.text)
    char = single_character(words)
    if char is not None:
        ordered = cache.prefix(conn, f.sort, char)
        if ordered is not None:
            others = cache.filtered(conn, f)
            if others is not None:
                ordered = list(filter(others.__contains__, ordered))
            return ordered[::-1] if f.descending else ordered
    sets: list[frozenset[int]] = []
    expressions = match_expressions(words)
    if expressions:
        sets.append(cache.text(conn, expressions[0]))
    others = cache.filtered(conn, f)
    if others is not None:
        sets.append(others)
    if not sets:
        result = order.rowids
    else:
        sets.sort(key=len)
        wanted = sets[0] if len(sets) == 1 else sets[0].intersection(*sets[1:])
        if len(wanted) * 4 < len(order.rowids):
            position = order.position
            result = sorted(filter(position.__contains__, wanted), key=position.__getitem__)
        else:
            result = list(filter(wanted.__contains__, order.rowids))
    return result[::-1] if f.descending else result


def matching_ids(conn: Connection, f: CatalogFilter) -> list[str]:
    """Product ids (not rowids) matching ``f`` in display order (for tests and tools)."""
    rowids = matching(conn, f)
    found: dict[int, str] = dict(conn.exec_driver_sql(
        "SELECT rowid, id FROM products WHERE rowid IN (SELECT value FROM json_each(?))",
        (orjson.dumps(rowids).decode(),)).all())
    return [found[r] for r in rowids]


_PRODUCTS_SQL = """
SELECT p.rowid, p.id, p.name, c.name, p.visibility, p.availability, p.dietary_tags
  FROM products p LEFT JOIN categories c ON c.id = p.category_id
 WHERE p.rowid IN (SELECT value FROM json_each(?))"""

_VARIANTS_SQL = """
SELECT v.product_id, v.id, v.sku, v.price, v.unit, v.precision, v.track_inventory,
       v.low_stock_threshold,
       coalesce((SELECT sum(s.on_hand) FROM stock_levels s WHERE s.variant_id = v.id), 0)
  FROM variants v
 WHERE v.product_id IN (SELECT id FROM products WHERE rowid IN (SELECT value FROM json_each(?)))
   AND v.archived_at IS NULL
 ORDER BY v.product_id, v.position, v.rowid"""


def rows_for(conn: Connection, rowids: list[int]) -> list[CatalogRow]:
    """The rows of these products, by rowid (missing or variant-less ones are left out)."""
    if not rowids:
        return []
    ids = orjson.dumps(rowids).decode()
    variants: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.exec_driver_sql(_VARIANTS_SQL, (ids,)):
        variants.setdefault(row[0], []).append(tuple(row))
    found: dict[int, CatalogRow] = {}
    for rowid, pid, name, category, visibility, availability, tags in conn.exec_driver_sql(
        _PRODUCTS_SQL, (ids,)
    ):
        vs = variants.get(pid)
        if not vs:
            continue
        first = vs[0]
        prices = [v[3] for v in vs]
        low = any(v[6] and v[7] is not None and v[8] <= v[7] for v in vs)
        found[rowid] = CatalogRow(
            rowid=rowid, product_id=pid, name=name, category=category, sku=first[2],
            price_min=min(prices), price_max=max(prices), on_hand=sum(int(v[8]) for v in vs),
            variant_count=len(vs), variant_id=first[1], unit=first[4], precision=first[5],
            track_inventory=bool(first[6]), visibility=visibility, availability=availability,
            dietary_tags=tuple(orjson.loads(tags or "[]")), low_stock=low,
        )
    return [found[r] for r in rowids if r in found]


def dietary_tags(conn: Connection) -> list[str]:
    """Every dietary tag in use, for the filter (a scan: call it on a worker)."""
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT j.value FROM products p, json_each(p.dietary_tags) j "
        "WHERE p.archived_at IS NULL ORDER BY 1")
    return [str(r[0]) for r in rows]


@dataclass(frozen=True, slots=True)
class Page:
    rowids: list[int]  # in display order: all of them, or the first ones if not complete
    rows: list[CatalogRow]  # of the first rowids
    total: int
    complete: bool


class CatalogTableReads:
    """The reads of the catalog page over one database (call every method on a worker,
    except ``invalidate``)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.cache = MatchCache()

    def invalidate(self) -> None:
        """The catalog changed: the next query reads the order and filters again."""
        self.cache.invalidate()

    def first_page(self, f: CatalogFilter, size: int, *, quick: bool = False) -> Page:
        """The ordered rowids for ``f`` and the rows of the first ``size`` of them.

        ``quick`` (opening the page): for the unfiltered name order not read yet, only the
        first ``size`` rowids (an index range) and the count; ``complete`` is then False and
        the caller asks again without ``quick`` for the rest."""
        with self._db.read() as conn:
            if quick and f.sort == "name" and not f.descending and f == CatalogFilter() \
                    and not self.cache.has_order(f.sort):
                head = [r[0] for r in conn.exec_driver_sql(
                    order_sql(f.sort) + " LIMIT ?", (size,))]
                total = conn.exec_driver_sql(
                    "SELECT count(*) FROM products INDEXED BY ix_products_live_name "
                    "WHERE archived_at IS NULL").scalar_one()
                return Page(head, rows_for(conn, head), int(total), complete=False)
            rowids = matching(conn, f, self.cache)
            return Page(rowids, rows_for(conn, rowids[:size]), len(rowids), complete=True)

    def rows(self, rowids: list[int]) -> list[CatalogRow]:
        with self._db.read() as conn:
            return rows_for(conn, rowids)

    def warm_prefixes(self) -> int:
        """Build the one-character search postings in name order (see ``catalog_prefix``)."""
        with self._db.read() as conn:
            return self.cache.warm_prefixes(conn)

    def product_ids(self, rowids: list[int]) -> list[str]:
        with self._db.read() as conn:
            found: dict[int, str] = dict(conn.exec_driver_sql(
                "SELECT rowid, id FROM products WHERE rowid IN (SELECT value FROM json_each(?))",
                (orjson.dumps(rowids).decode(),)).all())
        return [found[r] for r in rowids if r in found]

    def tags(self) -> list[str]:
        with self._db.read() as conn:
            return dietary_tags(conn)
