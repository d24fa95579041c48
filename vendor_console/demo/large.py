"""Large generated shops for benchmarks: up to millions of products and order lines.

:func:`build_large` creates the shop basics (as the demo does), then streams products with a
variant each (unique SKU and in-store EAN-13), a stocked subset, and ``order_lines`` order
lines in orders spread over the last two years, through the bulk loader's tuple path.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from local_db import tables
from local_db.bulk import bulk_insert, bulk_insert_values, search_index_deferred
from local_db.database import Database
from local_db.rollups import rollups_deferred
from local_db.types import format_utc, utc_now
from local_db.writer import Tx
from vendor_console.barcodes import generate_in_house
from vendor_console.demo.builder import DRAFT, STAFF, _insert_staff
from vendor_console.ids import new_id
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.shop import create_shop_tx, get_shop
from vendor_console.services.staff import hash_pin

ADJECTIVES = ("Organic", "Rustic", "Classic", "Smoked", "Golden", "Wild", "Spiced", "Toasted",
              "Fresh", "Honeyed", "Salted", "Roasted", "Hand-made", "Stoneground", "Creamy",
              "Dark", "Sweet", "Tangy", "Crunchy", "Mini")
FLAVOURS = ("Chocolate", "Cherry", "Chestnut", "Chilli", "Cinnamon", "Coconut", "Caramel",
            "Cheddar", "Almond", "Apple", "Apricot", "Banana", "Blueberry", "Butter", "Hazelnut",
            "Honey", "Lemon", "Lavender", "Maple", "Milk", "Mint", "Oat", "Orange", "Pecan",
            "Pistachio", "Raspberry", "Rhubarb", "Rye", "Sesame", "Vanilla", "Walnut", "Ginger")
NOUNS = ("Loaf", "Bun", "Cookie", "Cake", "Tart", "Scone", "Brownie", "Muffin", "Bagel",
         "Biscuit", "Bar", "Jam", "Chutney", "Candle", "Soap", "Mug", "Bowl", "Print", "Card",
         "Tea Towel", "Crackers", "Granola", "Fudge", "Pie", "Roll", "Twist", "Slice", "Wreath",
         "Truffle", "Cordial", "Honey Jar", "Notebook", "Scarf", "Plate", "Vase", "Tin",
         "Blend", "Sourdough", "Focaccia", "Croissant")
BULK_CACHE_KIB = 256 * 1024  # a bigger page cache while loading millions of indexed rows
STOCKED = 10_000  # variants with an opening stock movement (the checkout bench sells these)
PRODUCT_COLUMNS = ("id", "client_ref", "name", "description", "category_id", "dietary_tags",
                   "visibility", "availability", "search_keywords", "created_at",
                   "updated_at")
VARIANT_COLUMNS = ("id", "client_ref", "product_id", "name", "options", "sku", "barcode",
                   "price", "cost", "tax_rate_id", "unit", "precision", "track_inventory",
                   "inventory_policy", "position", "created_at", "updated_at")
ORDER_COLUMNS = ("id", "remote_id", "version", "number", "status", "fulfillment_type",
                 "currency", "subtotal", "tax_total", "delivery_fee", "total", "placed_at",
                 "completed_at", "extra", "created_at", "updated_at")
LINE_COLUMNS = ("id", "order_id", "line_no", "variant_id", "name", "sku", "quantity",
                "unit_price", "tax_rate_bp", "tax_amount", "total")


@dataclass(frozen=True, slots=True)
class LargeSummary:
    products: int
    variants: int
    orders: int
    order_lines: int
    seconds: float


def in_house_codes(start: int, count: int) -> Iterator[str]:
    """``count`` consecutive in-store EAN-13s (prefix 20) from ``start``, fast: the weighted
    digit sums of the high and low five digits come from two lookup tables."""
    def sums(weights: tuple[int, ...]) -> list[int]:
        return [sum(int(d) * w for d, w in zip(f"{n:05d}", weights, strict=True))
                for n in range(100_000)]

    high, low = sums((1, 3, 1, 3, 1)), sums((3, 1, 3, 1, 3))  # digits 3-7 and 8-12
    base = 2 * 1 + 0 * 3  # the prefix "20"
    for seq in range(start, start + count):
        hi, lo = divmod(seq, 100_000)
        check = (10 - (base + high[hi] + low[lo]) % 10) % 10
        yield f"20{seq:010d}{check}"


def build_large(
    db: Database, *, products: int, order_lines: int, seed: int = 7
) -> LargeSummary:
    """A shop with ``products`` products (one variant each) and ``order_lines`` order lines."""
    started = time.perf_counter()
    assert next(in_house_codes(123_456_789, 1)) == generate_in_house(123_456_789)
    pin_hashes = [hash_pin(pin) for _, _, pin in STAFF]
    rng = random.Random(seed)
    now = utc_now()
    stamp = format_utc(now - timedelta(days=731))

    def setup(tx: Tx) -> tuple[str, str, str, list[str]]:
        create_shop_tx(tx, DRAFT)
        tx.conn.execute(update(tables.shop).values(name="Hazel & Rye (large)"))
        info = get_shop(tx.conn)
        assert info is not None
        staff_ids = _insert_staff(tx, pin_hashes, stamp)
        categories = [{"id": new_id(), "name": noun, "position": i, "created_at": stamp,
                       "updated_at": stamp} for i, noun in enumerate(NOUNS)]
        bulk_insert(tx.conn, tables.categories, categories)
        return (info.default_location_id, info.tax_rate_ids["reduced"], staff_ids[0],
                [str(c["id"]) for c in categories])

    location_id, tax_id, owner_id, category_ids = db.write(setup)
    product_ids: list[str] = []
    variant_ids: list[str] = []
    prices: list[int] = []
    names: list[str] = []

    def catalog(tx: Tx) -> None:
        tx.conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        with search_index_deferred(tx.conn):
            bulk_insert_values(tx.conn, tables.products, PRODUCT_COLUMNS,
                               _products(rng, products, category_ids=category_ids,
                                         product_ids=product_ids, names=names, stamp=stamp))
        bulk_insert_values(tx.conn, tables.variants, VARIANT_COLUMNS,
                           _variants(rng, product_ids, tax_id=tax_id,
                                         variant_ids=variant_ids, prices=prices, stamp=stamp))
        stocked = variant_ids[:STOCKED]
        bulk_insert_values(tx.conn, tables.stock_movements,
                           ("id", "variant_id", "location_id", "kind", "delta", "reason",
                            "staff_id", "occurred_at", "acknowledged_at"),
                           ((new_id(), v, location_id, "ADJUSTMENT", 500 * QTY_SCALE,
                             "received", owner_id, stamp, stamp) for v in stocked))
        bulk_insert_values(tx.conn, tables.stock_levels,
                           ("variant_id", "location_id", "on_hand", "server_on_hand"),
                           ((v, location_id, 500 * QTY_SCALE, 500 * QTY_SCALE)
                            for v in stocked))
        tx.changed("product")

    def orders(tx: Tx) -> int:
        with rollups_deferred(tx.conn):  # analytics rolled up once, after the last line
            return _orders(tx, rng, order_lines, variant_ids=variant_ids, prices=prices,
                           names=names, now=now)

    cache_kib = db.write(lambda tx: -int(tx.conn.exec_driver_sql("PRAGMA cache_size").scalar_one()))
    try:
        db.write(catalog)
        order_count = db.write(orders)
    finally:  # the writer's usual page cache again
        db.write(lambda tx: tx.conn.exec_driver_sql(f"PRAGMA cache_size=-{cache_kib}"))
    return LargeSummary(products, products, order_count, order_lines,
                        time.perf_counter() - started)


def _products(rng: random.Random, count: int, *, category_ids: list[str],
              product_ids: list[str], names: list[str], stamp: str
              ) -> Iterator[tuple[Any, ...]]:
    for i in range(count):
        adjective, flavour = rng.choice(ADJECTIVES), rng.choice(FLAVOURS)
        noun_index = rng.randrange(len(NOUNS))
        name = f"{adjective} {flavour} {NOUNS[noun_index]}"
        names.append(name)
        product_ids.append(new_id())
        yield (product_ids[-1], new_id(), name, f"{name}, made in small batches. Item {i}.",
               category_ids[noun_index], "[]", "VISIBLE", "AVAILABLE",
               f"{NOUNS[noun_index]} LG-{i:07d}", stamp, stamp)


def _variants(rng: random.Random, product_ids: list[str], *, tax_id: str,
              variant_ids: list[str], prices: list[int], stamp: str
              ) -> Iterator[tuple[Any, ...]]:
    codes = in_house_codes(1_000_000, len(product_ids))
    for i, (product_id, code) in enumerate(zip(product_ids, codes, strict=True)):
        variant_id = new_id()
        price = rng.randrange(150, 6000, 10)
        variant_ids.append(variant_id)
        prices.append(price)
        yield (variant_id, new_id(), product_id, "", "{}", f"LG-{i:07d}", code, price,
               price * 2 // 5, tax_id, "pc", 0, 1, "CONTINUE", 0, stamp, stamp)


def _orders(tx: Tx, rng: random.Random, line_count: int, *, variant_ids: list[str],
            prices: list[int], names: list[str], now: datetime) -> int:
    """Orders of 1-5 lines, placed evenly over the last two years, all completed."""
    orders: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    start = now - timedelta(days=730)
    step = timedelta(days=730) / max(1, line_count // 3)
    written = 0
    while written < line_count:
        order_id = new_id()
        placed = format_utc(start + step * len(orders))
        subtotal = tax = 0
        n = min(rng.randrange(1, 6), line_count - written)
        for line_no in range(1, n + 1):
            k = rng.randrange(len(variant_ids))
            qty = rng.choice((1, 1, 1, 2, 3))
            total = prices[k] * qty
            line_tax = (total * 1350 + 5675) // 11350
            subtotal += total
            tax += line_tax
            lines.append((new_id(), order_id, line_no, variant_ids[k], names[k], f"LG-{k:07d}",
                          qty * QTY_SCALE, prices[k], 1350, line_tax, total))
        written += n
        number = len(orders) + 1
        orders.append((order_id, f"ord_lg{number:010d}", 5, str(number), "COMPLETED",
                       "PICKUP", "EUR", subtotal, tax, 0, subtotal, placed, placed, "{}",
                       placed, placed))
    bulk_insert_values(tx.conn, tables.orders, ORDER_COLUMNS, orders)
    bulk_insert_values(tx.conn, tables.order_lines, LINE_COLUMNS, lines)
    tx.changed("order")
    return len(orders)
