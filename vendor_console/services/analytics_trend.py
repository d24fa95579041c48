"""A per-product trend score, 0-100, in the spirit of the marketplace's own ranking.

score = 100 x (0.6 x velocity + 0.25 x price position + 0.15 x rating), each part 0-1:

- velocity: half momentum (units per day over the last 14 days of the range against the 28
  days before: recent / (recent + before), 0.5 = steady) and half reach (this product's recent
  rate against the fastest seller's);
- price position: cheaper than the rest of its category scores higher (1 = cheapest,
  0 = dearest, 0.5 when alone in its category);
- rating: the product's average star rating from the mirrored marketplace reviews (a review
  counts for every product of the order it reviews), mapped 1 star -> 0 to 5 stars -> 1;
  a product nobody has reviewed gets the neutral 0.5 (= 3 stars).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection

from local_db.rawsql import fetch_all
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
    rating: float  # the 0-1 rating part
    average_rating: float | None = None  # stars, 1-5; None = no reviews
    review_count: int = 0


def trend_scores(conn: Connection, rng: DateRange, *, limit: int = 20) -> list[TrendScore]:
    recent_start = rng.end - timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - timedelta(days=BEFORE_DAYS)
    rows = fetch_all(conn,   # one pass over the 42 days of the daily product rollup
        "SELECT product_id, sum(CASE WHEN day >= ? THEN quantity ELSE 0 END),"
        " sum(CASE WHEN day < ? THEN quantity ELSE 0 END) FROM analytics_product_daily"
        " WHERE day BETWEEN ? AND ? AND product_id != '' GROUP BY product_id",
        (recent_start.isoformat(), recent_start.isoformat(), before_start.isoformat(),
         rng.end.isoformat()))
    rate_now = {str(pid): max(int(q), 0) / 1000 / RECENT_DAYS for pid, q, _b in rows}
    rate_before = {str(pid): max(int(b), 0) / 1000 / BEFORE_DAYS for pid, _q, b in rows}
    ids = sorted(pid for pid in rate_now if rate_now[pid] or rate_before[pid])
    if not ids:
        return []
    fastest = max(rate_now.values()) or 1.0
    prices, category_prices, names = _catalog(conn, ids)
    ratings = product_ratings(conn, ids)
    scores = []
    for pid in ids:
        both = rate_now[pid] + rate_before[pid]
        momentum = rate_now[pid] / both if both else 0.0
        velocity = 0.5 * momentum + 0.5 * rate_now[pid] / fastest
        position = _position(prices.get(pid), category_prices.get(pid, []))
        average, count = ratings.get(pid, (None, 0))
        rating = NEUTRAL_RATING if average is None else rating_part(average)
        score = 100 * (WEIGHTS[0] * velocity + WEIGHTS[1] * position + WEIGHTS[2] * rating)
        scores.append(TrendScore(pid, names.get(pid, "(deleted product)"), round(score),
                                 rate_now[pid], rate_before[pid], prices.get(pid), position,
                                 rating, average, count))
    scores.sort(key=lambda t: (-t.score, t.name))
    return scores[:limit]


def rating_part(average: float) -> float:
    """Stars (1-5) as the 0-1 rating part: 1 star -> 0, 3 stars -> 0.5, 5 stars -> 1."""
    return min(1.0, max(0.0, (average - 1) / 4))


def product_ratings(conn: Connection, ids: list[str]) -> dict[str, tuple[float, int]]:
    """Each product's average rating and number of reviews, from the mirrored reviews of the
    marketplace orders it was in (a review counts once per product, however many lines)."""
    marks = ", ".join("?" for _ in ids)
    rows = fetch_all(conn,
        "SELECT product_id, avg(rating), count(*) FROM ("
        " SELECT DISTINCT r.id AS review_id, v.product_id AS product_id, r.rating AS rating"
        # CROSS JOIN fixes the order: from the (few) reviews out to their order lines. Left
        # to the planner, it walked a million order lines of the products to find no review.
        " FROM reviews r CROSS JOIN orders o ON o.remote_id = r.order_remote_id"
        " CROSS JOIN order_lines l ON l.order_id = o.id"
        " CROSS JOIN variants v ON v.id = l.variant_id"
        f" WHERE r.rating BETWEEN 1 AND 5 AND v.product_id IN ({marks}))"
        " GROUP BY product_id", tuple(ids))
    return {str(pid): (float(average), int(count)) for pid, average, count in rows}


def _position(price: int | None, peers: list[int]) -> float:
    """``peers``: the category's prices, sorted (the product's own included)."""
    if price is None or len(peers) < 2:
        return 0.5
    cheaper = bisect_left(peers, price)
    dearer = len(peers) - bisect_right(peers, price)
    return 0.5 if dearer + cheaper == 0 else dearer / (dearer + cheaper)


def _catalog(conn: Connection, ids: list[str]
             ) -> tuple[dict[str, int], dict[str, list[int]], dict[str, str]]:
    """Each product's lowest live price, the lowest prices of every live product in its
    category (its peers), and its name."""
    wanted = set(ids)
    marks = ", ".join("?" for _ in ids)
    own: dict[str, int] = {}
    names: dict[str, str] = {}
    category_of: dict[str, str] = {}
    by_category: dict[str, list[int]] = {}
    price = ("(SELECT min(v.price) FROM variants v WHERE v.product_id = p.id"
             " AND v.archived_at IS NULL)")
    rows = fetch_all(conn,  # the live products of the wanted products' categories …
        f"SELECT p.id, p.name, p.category_id, {price} FROM products p"
        " WHERE p.archived_at IS NULL AND p.category_id IN"
        f" (SELECT DISTINCT category_id FROM products WHERE id IN ({marks}))", tuple(ids))
    rows += fetch_all(conn,  # … and the wanted ones that are archived or have no category
        f"SELECT p.id, p.name, p.category_id, {price} FROM products p WHERE p.id IN ({marks})"
        " AND (p.archived_at IS NOT NULL OR p.category_id IS NULL)", tuple(ids))
    for pid, name, category, lowest in rows:
        if lowest is None:
            continue
        price_ = int(lowest)
        if category is not None:
            by_category.setdefault(str(category), []).append(price_)
        if pid in wanted:
            own[str(pid)] = price_
            names[str(pid)] = str(name)
            if category is not None:
                category_of[str(pid)] = str(category)
    for prices in by_category.values():
        prices.sort()
    peers = {pid: by_category.get(category, []) for pid, category in category_of.items()}
    return own, peers, names
