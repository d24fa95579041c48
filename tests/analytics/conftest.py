"""The hand-computed shop history the figure, report and page tests share."""

from __future__ import annotations

import pytest

from local_db.writer import Tx
from tests.analytics.documents import (
    U,
    add_product,
    utc,
    write_order,
    write_sale,
    write_void,
)
from tests.conftest import ShopFixture


@pytest.fixture
def history(shop: ShopFixture) -> ShopFixture:
    loaf = add_product(shop.db, "Sourdough", 500, "Bread")
    rye = add_product(shop.db, "Rye", 2000, "Bread")
    mug = add_product(shop.db, "Mug", 700)

    def write(tx: Tx) -> None:
        # A: Sat 28 Mar 23:30 GMT -> business day 28 Mar, hour 23. Two loaves, 10.00.
        a = write_sale(tx, shop, utc("2026-03-28T23:30:00Z"), [(loaf, 2 * U, 1000)])
        # B: 29 Mar 23:30Z = Mon 30 Mar 00:30 IST -> day 30 Mar (UTC would say the 29th).
        write_sale(tx, shop, utc("2026-03-29T23:30:00Z"), [(rye, U, 2000)])
        # Refund of one loaf of A on Thu 2 Apr 10:00Z (11:00 IST): counts on 2 Apr.
        write_sale(tx, shop, utc("2026-04-02T10:00:00Z"), [(loaf, U, 500)], refund_of=a)
        # C: 24 Oct 23:30Z = Sun 25 Oct 00:30 IST (still summer time) -> day 25 Oct, hour 0.
        write_sale(tx, shop, utc("2026-10-24T23:30:00Z"), [(loaf, U, 500)])
        # D: 25 Oct 23:30Z = 23:30 GMT (winter time again) -> day 25 Oct, hour 23.
        write_sale(tx, shop, utc("2026-10-25T23:30:00Z"), [(mug, U, 700)])
        # Marketplace: placed Sun 29 Mar 00:30Z = 00:30 GMT (the change is at 01:00Z).
        # Accepted 00:32, ready 00:52 IST-side clock (01:52Z): 20 minutes of preparation.
        write_order(tx, utc("2026-03-29T00:30:00Z"), [(loaf, 2 * U, 1200)], history=(
            ("PENDING", utc("2026-03-29T00:30:00Z"), "customer", None),
            ("CONFIRMED", utc("2026-03-29T00:32:00Z"), "vendor", None),
            ("READY", utc("2026-03-29T00:52:00Z"), "vendor", None),
            ("COMPLETED", utc("2026-03-29T01:30:00Z"), "customer", None)))
        # Another order the same day nobody accepted: cancelled by the marketplace.
        write_order(tx, utc("2026-03-29T11:00:00Z"), [(rye, U, 2000)], status="CANCELLED",
                    history=(("PENDING", utc("2026-03-29T11:00:00Z"), "customer", None),
                             ("CANCELLED", utc("2026-03-29T11:10:00Z"), "system",
                              "VENDOR_TIMEOUT")))
        # A line taken off a sale on screen (void), 28 Mar 12:00.
        write_void(tx, shop, utc("2026-03-28T12:00:00Z"), 350)

    shop.db.write(write)
    return shop
