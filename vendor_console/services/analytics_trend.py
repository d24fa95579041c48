"""A per-product trend score, 0-100, in the spirit of the marketplace's own ranking.

score = 100 x (0.6 x velocity + 0.25 x price position + 0.15 x rating), each part 0-1:

- velocity: half momentum (units per day over the last 14 days of the range against the 28
  days before: recent / (recent + before), 0.5 = steady) and half reach (this product's recent
  rate against the fastest seller's);
- price position: cheaper than the rest of its category scores higher (1 = cheapest,
  0 = dearest, 0.5 when alone in its category);
- rating: the marketplace's reviews are not mirrored locally yet, so every product gets the
  neutral 0.5 until they are (the part is kept so the weights match the marketplace's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection

from vendor_console.services.analytics import products
from vendor_console.services.analytics_range import DateRange

RECENT_DAYS = 14
BEFORE_DAYS = 28
NEUTRAL_RATING = 0.5
WEIGHTS = (0.6, 0.25, 0.15)


@dataclass(frozen=True, slots=True)
class TrendScore:
    product_id: str
    name: str
    score: int  # 0-100
    recent_per_day: float  # units per day, last 14 days
    before_per_day: float  # units per day, the 28 days before
    price: int | None  # lowest live variant price (minor units)
    price_position: float
    rating: float


def trend_scores(conn: Connection, rng: DateRange, *, limit: int = 20) -> list[TrendScore]:
    recent_range = DateRange(rng.end - timedelta(days=RECENT_DAYS - 1), rng.end)
    before_range = DateRange(recent_range.start - timedelta(days=BEFORE_DAYS),
                             recent_range.start - timedelta(days=1))
    recent = {p.product_id: p for p in products(conn, recent_range) if p.product_id}
    before = {p.product_id: p for p in products(conn, before_range) if p.product_id}
    ids = sorted(set(recent) | set(before))
    if not ids:
        return []
    rate_now = {pid: max(recent[pid].quantity, 0) / 1000 / RECENT_DAYS if pid in recent else 0.0
                for pid in ids}
    rate_before = {pid: max(before[pid].quantity, 0) / 1000 / BEFORE_DAYS
                   if pid in before else 0.0 for pid in ids}
    fastest = max(rate_now.values()) or 1.0
    prices, category_prices = _prices(conn, ids)
    scores = []
    for pid in ids:
        name = (recent.get(pid) or before[pid]).name
        both = rate_now[pid] + rate_before[pid]
        momentum = rate_now[pid] / both if both else 0.0
        velocity = 0.5 * momentum + 0.5 * rate_now[pid] / fastest
        position = _position(prices.get(pid), category_prices.get(pid, []))
        score = 100 * (WEIGHTS[0] * velocity + WEIGHTS[1] * position
                       + WEIGHTS[2] * NEUTRAL_RATING)
        scores.append(TrendScore(pid, name, round(score), rate_now[pid], rate_before[pid],
                                 prices.get(pid), position, NEUTRAL_RATING))
    scores.sort(key=lambda t: (-t.score, t.name))
    return scores[:limit]


def _position(price: int | None, peers: list[int]) -> float:
    others = [p for p in peers if p is not None]
    if price is None or len(others) < 2:
        return 0.5
    dearer = sum(1 for p in others if p > price)
    cheaper = sum(1 for p in others if p < price)
    return 0.5 if dearer + cheaper == 0 else dearer / (dearer + cheaper)


def _prices(conn: Connection, ids: list[str]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Each product's lowest live price, and the lowest prices of all products in its category
    (one pass over the live catalog's prices)."""
    wanted = set(ids)
    own: dict[str, int] = {}
    category_of: dict[str, str] = {}
    by_category: dict[str, list[int]] = {}
    for pid, category, price in conn.exec_driver_sql(
        "SELECT p.id, p.category_id, min(v.price) FROM products p JOIN variants v"
        " ON v.product_id = p.id AND v.archived_at IS NULL WHERE p.archived_at IS NULL"
        " AND p.category_id IN (SELECT DISTINCT category_id FROM products"
        f" WHERE id IN ({', '.join('?' for _ in ids)})) GROUP BY p.id", tuple(ids)
    ):
        by_category.setdefault(str(category), []).append(int(price))
        if pid in wanted:
            own[str(pid)] = int(price)
            category_of[str(pid)] = str(category)
    for pid, price in conn.exec_driver_sql(  # products without a category: no peers
        "SELECT p.id, min(v.price) FROM products p JOIN variants v ON v.product_id = p.id"
        f" AND v.archived_at IS NULL WHERE p.category_id IS NULL AND p.id IN"
        f" ({', '.join('?' for _ in ids)}) GROUP BY p.id", tuple(ids)
    ):
        own[str(pid)] = int(price)
    peers = {pid: by_category.get(category, []) for pid, category in category_of.items()}
    return own, peers
