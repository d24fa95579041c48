"""Low stock, sell-through and the trend score against figures computed by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, update

from local_db.tables import stock_levels, variants
from local_db.writer import Tx
from tests.analytics.documents import Item, U, add_product, utc, write_sale
from tests.conftest import ShopFixture
from vendor_console.services.analytics_range import DateRange
from vendor_console.services.analytics_stock import low_stock, sell_through
from vendor_console.services.analytics_trend import trend_scores


@pytest.fixture
def june(shop: ShopFixture) -> dict[str, Item]:
    items = {
        "loaf": add_product(shop.db, "Loaf", 450, "Bread"),
        "bun": add_product(shop.db, "Bun", 150),  # alone (no category): price position 0.5
        "mug": add_product(shop.db, "Mug", 1200, "Ceramics"),
        "bowl": add_product(shop.db, "Bowl", 2400, "Ceramics"),
    }

    def write(tx: Tx) -> None:
        for n in range(17, 31):  # a loaf a day over the last 14 days of June
            write_sale(tx, shop, utc(f"2026-06-{n:02d}T12:00:00Z"), [(items["loaf"], U, 450)])
        write_sale(tx, shop, utc("2026-06-20T12:00:00Z"), [(items["bun"], 7 * U, 1050)])
        write_sale(tx, shop, utc("2026-06-01T12:00:00Z"), [(items["bun"], 14 * U, 2100)])
        write_sale(tx, shop, utc("2026-05-01T12:00:00Z"), [(items["bun"], 100 * U, 15000)])
        write_sale(tx, shop, utc("2026-06-25T12:00:00Z"), [(items["mug"], U, 1200)])
        write_sale(tx, shop, utc("2026-06-26T12:00:00Z"), [(items["bowl"], U, 2400)])
        for key, on_hand in (("loaf", 2), ("mug", 5), ("bowl", 9)):
            tx.conn.execute(insert(stock_levels), {
                "variant_id": items[key].variant_id, "location_id": shop.location_id,
                "on_hand": on_hand * U})
        tx.conn.execute(update(variants).where(variants.c.id == items["loaf"].variant_id)
                        .values(low_stock_threshold=3 * U))

    shop.db.write(write)
    return items


def test_low_stock_and_sell_through(shop: ShopFixture, june: dict[str, Item]) -> None:
    with shop.db.read() as conn:
        low = low_stock(conn)
        through = sell_through(conn, DateRange(date(2026, 6, 1), date(2026, 6, 30)))
    # Loaf: 2 on hand, its own threshold 3; Mug: 5, the default threshold 5; Bowl: 9 is fine.
    assert [(s.name, s.on_hand, s.threshold) for s in low] == [
        ("Loaf", 2 * U, 3 * U), ("Mug", 5 * U, 5 * U)]
    # Sold in June / (sold + on hand now). The bun has no stock kept: not listed.
    assert [(s.name, s.sold, s.on_hand, round(s.rate, 4)) for s in through] == [
        ("Loaf", 14 * U, 2 * U, 0.875),  # 14 / 16
        ("Mug", U, 5 * U, round(1 / 6, 4)),  # 1 / 6
        ("Bowl", U, 9 * U, 0.1),  # 1 / 10
    ]


def test_trend_scores(shop: ShopFixture, june: dict[str, Item]) -> None:
    """score = 100 x (0.6 x velocity + 0.25 x price position + 0.15 x 0.5 rating), velocity =
    half momentum (recent / (recent + before) per day) and half reach (recent / fastest).

    Loaf: 1/day now, 0 before: momentum 1, reach 1 -> v 1; the only product in Bread, so
      no peers -> position 0.5: 60 + 12.5 + 7.5 = 80.
    Bun: 0.5/day now and 14/28 = 0.5/day before: momentum 0.5, reach 0.5 -> v 0.5; no
      category -> 0.5: 30 + 12.5 + 7.5 = 50 (May's 100 buns are outside the 42 days).
    Mug / Bowl: 1/14 a day now, 0 before: v = 0.5 + 0.5/14 -> 32.14; Mug is the cheaper of
      the two ceramics (position 1): 32.14 + 25 + 7.5 = 64.6 -> 65; Bowl (0): 39.6 -> 40.
    """
    with shop.db.read() as conn:
        scores = trend_scores(conn, DateRange(date(2026, 6, 1), date(2026, 6, 30)))
    assert [(t.name, t.score, t.price_position) for t in scores] == [
        ("Loaf", 80, 0.5), ("Mug", 65, 1.0), ("Bun", 50, 0.5), ("Bowl", 40, 0.0)]
    loaf = scores[0]
    assert (loaf.recent_per_day, loaf.before_per_day, loaf.price) == (1.0, 0.0, 450)
