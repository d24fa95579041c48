"""The rebuild sums order lines a range of orders at a time (bounded sort memory); the
products' figures are the same as the triggers' however the orders fall into ranges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from local_db import rollups
from local_db.writer import Tx
from tests.analytics.documents import U, add_product, incremental_and_rebuilt, utc, write_order
from tests.conftest import ShopFixture


@pytest.mark.parametrize("per_chunk", [1, 2, 3, 1000])
def test_rebuild_in_ranges_of_orders_equals_the_triggers(
        shop: ShopFixture, monkeypatch: pytest.MonkeyPatch, per_chunk: int) -> None:
    loaf = add_product(shop.db, "Loaf", 450)
    mug = add_product(shop.db, "Mug", 700)
    start = utc("2026-03-28T22:30:00Z")

    def write(tx: Tx) -> None:  # the same products and days across several orders
        for n in range(7):
            write_order(tx, start + timedelta(hours=5 * n),
                        [(loaf, (n + 1) * U, 450 * (n + 1)), (mug, U, 700), (None, U, 100)],
                        status="COMPLETED" if n != 3 else "READY")

    shop.db.write(write)  # rolled up by the triggers, order by order
    monkeypatch.setattr(rollups, "ORDERS_PER_CHUNK", per_chunk)
    incremental, rebuilt = incremental_and_rebuilt(shop.db)
    assert incremental == rebuilt
    assert len(rebuilt["analytics_product_daily"]) > 3  # several days and products
