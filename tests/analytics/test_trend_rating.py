"""The trend score's rating part from the mirrored marketplace reviews (applied as sync
applies them), against figures computed by hand on the June shop of test_stock_and_trend."""

from __future__ import annotations

from datetime import date
from typing import Any

from local_db.rawsql import dbapi
from local_db.writer import Tx
from sync.mirror import Mirror
from sync.wire import Change
from tests.analytics.documents import Item, U, utc, write_order
from tests.analytics.test_stock_and_trend import june  # noqa: F401 (fixture)
from tests.conftest import ShopFixture
from vendor_console.services.analytics_range import DateRange
from vendor_console.services.analytics_trend import trend_scores


def review(number: int, rating: int, order_remote_id: str | None) -> Change:
    doc: dict[str, Any] = {
        "id": f"rev_{number}", "order_id": order_remote_id, "version": 1, "rating": rating,
        "text": "", "customer": {"display_name": "Ana P."}, "reply": None,
        "created_at": "2026-04-12T10:00:00Z", "updated_at": "2026-04-12T10:00:00Z"}
    return Change("", "review.created", "review", f"rev_{number}", 1, doc)


def test_trend_scores_use_the_mirrored_average_rating(
        shop: ShopFixture, june: dict[str, Item]) -> None:  # noqa: F811
    """score = 100 x (0.6 x velocity + 0.25 x price position + 0.15 x rating part), with the
    rating part = (average stars - 1) / 4, or 0.5 for a product nobody reviewed. Velocities and
    price positions as in test_trend_scores (the April orders are outside its 42 days).

    Reviews: order A (two Bowl lines and a Mug) 5 stars; order B (Bowl) 2 stars; order C
    (Loaf) 2 stars; one review of no order and one of an order not mirrored here: ignored.
    Loaf: 2 stars -> 0.25: 60 + 12.5 + 3.75 = 76.25 -> 76 (80 with a neutral rating).
    Mug: 5 stars -> 1: 32.14 + 25 + 15 = 72.14 -> 72 (65).
    Bun: no review -> 0.5: 30 + 12.5 + 7.5 = 50 (50).
    Bowl: (5 + 2) / 2 = 3.5 stars (order A counts once) -> 0.625: 32.14 + 0 + 9.375 = 41.5
      -> 42 (40).
    """
    bowl, mug, loaf = june["bowl"], june["mug"], june["loaf"]

    def write(tx: Tx) -> None:
        a = write_order(tx, utc("2026-04-10T12:00:00Z"),
                        [(bowl, U, 2400), (mug, U, 1200), (bowl, U, 2400)])
        b = write_order(tx, utc("2026-04-11T12:00:00Z"), [(bowl, U, 2400)])
        c = write_order(tx, utc("2026-04-11T13:00:00Z"), [(loaf, U, 450)])
        Mirror(dbapi(tx.conn)).apply([
            review(1, 5, f"ord_{a}"), review(2, 2, f"ord_{b}"), review(3, 2, f"ord_{c}"),
            review(4, 1, None), review(5, 1, "ord_not_here")])

    shop.db.write(write)
    with shop.db.read() as conn:
        scores = trend_scores(conn, DateRange(date(2026, 6, 1), date(2026, 6, 30)))
    assert [(t.name, t.score, t.rating, t.average_rating, t.review_count) for t in scores] == [
        ("Loaf", 76, 0.25, 2.0, 1), ("Mug", 72, 1.0, 5.0, 1), ("Bun", 50, 0.5, None, 0),
        ("Bowl", 42, 0.625, 3.5, 2)]
