"""Analytics figures from the rollup tables (local_db.rollups): fast over years of history.

Each function reads one connection and returns plain records with integer money (minor
units) and scaled quantities. Callers run them off the UI thread. ``vendor-console report``
and the Analytics page both go through :mod:`vendor_console.services.analytics_report`, which
shapes these records, so the terminal and the charts show the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from local_db.rawsql import fetch_all
from vendor_console.services.analytics_range import (
    DateRange,
    Period,
    bucket,
    buckets,
    rollup_plan,
)

CHANNELS = ("counter", "marketplace")
NOT_IN_CATALOG = "Items not in the catalog"
UNCATEGORISED = "Uncategorised"
NAME_CHUNK = 10_000  # ids per IN (…) list (SQLite allows 32,766 parameters)


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    sales_count: int = 0
    sales_total: int = 0  # gross: what customers paid
    refund_count: int = 0
    refund_total: int = 0  # paid back (positive)
    void_count: int = 0
    void_total: int = 0

    @property
    def net_total(self) -> int:
        return self.sales_total - self.refund_total

    @property
    def average_basket(self) -> int:
        """Gross per sale, rounded half up to the minor unit (0 without sales)."""
        if not self.sales_count:
            return 0
        return (2 * self.sales_total + self.sales_count) // (2 * self.sales_count)

    def __add__(self, other: ChannelFigures) -> ChannelFigures:
        return ChannelFigures(*(a + b for a, b in zip(_values(self), _values(other),
                                                      strict=True)))


def _values(f: ChannelFigures) -> tuple[int, ...]:
    return (f.sales_count, f.sales_total, f.refund_count, f.refund_total, f.void_count,
            f.void_total)


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    period: date  # first day of the day / week (Monday) / month
    channel: str
    figures: ChannelFigures


@dataclass(frozen=True, slots=True)
class ProductFigures:
    product_id: str  # '' = lines without a catalog variant
    name: str
    category: str
    quantity: int  # net units sold (scaled), refunds taken off
    net_total: int
    refund_quantity: int
    refund_total: int


@dataclass(frozen=True, slots=True)
class CategoryFigures:
    category: str
    quantity: int
    net_total: int
    refund_total: int


@dataclass(frozen=True, slots=True)
class HeatCell:
    weekday: int  # Monday = 0
    hour: int  # local hour, 0-23
    sales_count: int
    net_total: int


@dataclass(frozen=True, slots=True)
class Funnel:
    placed: int = 0
    accepted: int = 0
    rejected: int = 0
    timed_out: int = 0
    customer_cancelled: int = 0
    completed: int = 0
    prep_seconds: int = 0
    prep_count: int = 0

    @property
    def average_prep_minutes(self) -> float | None:
        return None if not self.prep_count else self.prep_seconds / self.prep_count / 60


def by_channel(conn: Connection, rng: DateRange) -> dict[str, ChannelFigures]:
    """Totals per channel over the range (both channels always present)."""
    result = dict.fromkeys(CHANNELS, ChannelFigures())
    for channel, *values in fetch_all(conn,
        "SELECT channel, sum(sales_count), sum(sales_total), sum(refund_count), "
        "sum(refund_total), sum(void_count), sum(void_total) FROM analytics_daily "
        "WHERE day BETWEEN ? AND ? GROUP BY channel", (rng.start.isoformat(), rng.end.isoformat())
    ):
        result[str(channel)] = ChannelFigures(*(int(v) for v in values))
    return result


def sales_over_time(conn: Connection, rng: DateRange, by: Period) -> list[PeriodFigures]:
    """Per period and channel, every period of the range (zeros where nothing happened)."""
    sums: dict[tuple[date, str], ChannelFigures] = defaultdict(ChannelFigures)
    for day, channel, *values in fetch_all(conn,
        "SELECT day, channel, sales_count, sales_total, refund_count, refund_total, "
        "void_count, void_total FROM analytics_daily WHERE day BETWEEN ? AND ?",
        (rng.start.isoformat(), rng.end.isoformat()),
    ):
        key = (bucket(date.fromisoformat(day), by), str(channel))
        sums[key] = sums[key] + ChannelFigures(*(int(v) for v in values))
    return [PeriodFigures(period, channel, sums.get((period, channel), ChannelFigures()))
            for period in buckets(rng, by) for channel in CHANNELS]


def products(conn: Connection, rng: DateRange, *, limit: int | None = None
             ) -> list[ProductFigures]:
    """Products by net money over the range, best first (ties by name), added up from the
    monthly and daily product rollups (:func:`rollup_plan`)."""
    sums: dict[str, list[int]] = {}
    for sign, kind, first, last in rollup_plan(rng):
        table, key = (("analytics_product_monthly", "month") if kind == "month"
                      else ("analytics_product_daily", "day"))
        for pid, *values in fetch_all(
            conn, f"SELECT product_id, sum(quantity), sum(net_total), sum(refund_quantity),"
            f" sum(refund_total) FROM {table} WHERE {key} BETWEEN ? AND ? GROUP BY product_id",
            (first, last),
        ):
            row = sums.setdefault(str(pid), [0, 0, 0, 0])
            for i, value in enumerate(values):
                row[i] += sign * int(value)
    names = _names(conn, [pid for pid, row in sums.items() if pid and any(row)])
    result = [
        ProductFigures(pid, *names.get(pid, (NOT_IN_CATALOG if not pid else "(deleted product)",
                                             UNCATEGORISED)), *row)
        for pid, row in sums.items() if any(row)
    ]
    result.sort(key=lambda p: (-p.net_total, p.name, p.product_id))
    return result if limit is None else result[:limit]


def _names(conn: Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Product id -> (name, category name)."""
    names: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), NAME_CHUNK):
        chunk = ids[start:start + NAME_CHUNK]
        for pid, name, category in fetch_all(
            conn, "SELECT p.id, p.name, c.name FROM products p LEFT JOIN categories c"
            f" ON c.id = p.category_id WHERE p.id IN ({', '.join('?' for _ in chunk)})",
            tuple(chunk),
        ):
            names[str(pid)] = (str(name), str(category) if category else UNCATEGORISED)
    return names


def categories(conn: Connection, rng: DateRange) -> list[CategoryFigures]:
    return categories_of(products(conn, rng))


def categories_of(figures: list[ProductFigures]) -> list[CategoryFigures]:
    """Product figures added up per category, best first."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in figures:
        row = sums[p.category]
        row[0] += p.quantity
        row[1] += p.net_total
        row[2] += p.refund_total
    result = [CategoryFigures(name, q, n, rt) for name, (q, n, rt) in sums.items()]
    result.sort(key=lambda c: (-c.net_total, c.category))
    return result


def heatmap(conn: Connection, rng: DateRange) -> list[HeatCell]:
    """All 7 x 24 cells, Monday 00h first."""
    cells: dict[tuple[int, int], list[int]] = {}
    for weekday, hour, count, net in fetch_all(conn,
        "SELECT CAST(strftime('%w', day) AS INTEGER), hour, sum(sales_count), sum(net_total)"
        " FROM analytics_hourly WHERE day BETWEEN ? AND ? GROUP BY 1, 2",
        (rng.start.isoformat(), rng.end.isoformat())
    ):
        cells[((int(weekday) + 6) % 7, int(hour))] = [int(count), int(net)]  # Monday = 0
    return [HeatCell(w, h, *cells.get((w, h), [0, 0])) for w in range(7) for h in range(24)]


def funnel(conn: Connection, rng: DateRange) -> Funnel:
    row = fetch_all(conn,
        "SELECT coalesce(sum(placed), 0), coalesce(sum(accepted), 0), coalesce(sum(rejected), 0),"
        " coalesce(sum(timed_out), 0), coalesce(sum(customer_cancelled), 0),"
        " coalesce(sum(prep_seconds), 0), coalesce(sum(prep_count), 0)"
        " FROM analytics_orders_daily WHERE day BETWEEN ? AND ?",
        (rng.start.isoformat(), rng.end.isoformat()))[0]
    completed = by_channel(conn, rng)["marketplace"].sales_count
    placed, accepted, rejected, timed_out, cancelled, prep_s, prep_n = (int(v) for v in row)
    return Funnel(placed, accepted, rejected, timed_out, cancelled, completed, prep_s, prep_n)
