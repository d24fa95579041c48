"""Analytics figures against a fixture computed by hand: shop in Europe/Dublin, sales on both
sides of the spring and autumn DST changes, a refund in a later week and month, a marketplace
order with its funnel, a timed-out order and a voided line.

Dublin: 2026-03-29 01:00Z clocks go 00:59 GMT -> 02:00 IST (UTC+1);
        2026-10-25 01:00Z clocks go 01:59 IST -> 01:00 GMT (UTC+0).
"""

from __future__ import annotations

from datetime import date

from tests.analytics.documents import (
    incremental_and_rebuilt,
)
from tests.conftest import ShopFixture
from vendor_console.services import analytics
from vendor_console.services.analytics_dashboard import sales_report
from vendor_console.services.analytics_range import DateRange, rollup_plan
from vendor_console.services.analytics_report import to_csv


def _net(report_rows: list[dict[str, object]], channel: str) -> dict[object, object]:
    return {r["period"]: r["net"] for r in report_rows if r["channel"] == channel}


def test_days_follow_the_shops_clock_across_both_dst_changes(history: ShopFixture) -> None:
    rows = sales_report(history.db, DateRange(date(2026, 3, 28), date(2026, 4, 2)), "day").shown()
    assert _net(rows, "counter") == {
        "2026-03-28": "10.00", "2026-03-29": "0.00", "2026-03-30": "20.00",
        "2026-03-31": "0.00", "2026-04-01": "0.00", "2026-04-02": "-5.00"}
    assert _net(rows, "marketplace") == {
        "2026-03-28": "0.00", "2026-03-29": "12.00", "2026-03-30": "0.00",
        "2026-03-31": "0.00", "2026-04-01": "0.00", "2026-04-02": "0.00"}
    autumn = sales_report(history.db, DateRange(date(2026, 10, 24), date(2026, 10, 26)),
                          "day").shown()
    assert [(r["period"], r["sales"], r["gross"]) for r in autumn if r["channel"] == "counter"] \
        == [("2026-10-24", 0, "0.00"), ("2026-10-25", 2, "12.00"), ("2026-10-26", 0, "0.00")]


def test_a_refund_lowers_the_week_and_month_it_happened_in(history: ShopFixture) -> None:
    rng = DateRange(date(2026, 3, 1), date(2026, 4, 30))
    weeks = sales_report(history.db, rng, "week").shown()
    counter = {r["period"]: (r["sales"], r["gross"], r["refunds"], r["refunded"], r["net"])
               for r in weeks if r["channel"] == "counter"}
    assert counter["2026-03-23"] == (1, "10.00", 0, "0.00", "10.00")  # sale A's week
    assert counter["2026-03-30"] == (1, "20.00", 1, "5.00", "15.00")  # B, and A's refund
    months = sales_report(history.db, rng, "month").shown()
    assert [(r["period"], r["channel"], r["net"]) for r in months] == [
        ("2026-03-01", "counter", "30.00"), ("2026-03-01", "marketplace", "12.00"),
        ("2026-04-01", "counter", "-5.00"), ("2026-04-01", "marketplace", "0.00")]


def test_channels_basket_refunds_and_voids(history: ShopFixture) -> None:
    rows = sales_report(history.db, DateRange(date(2026, 3, 1), date(2026, 10, 31)),
                        "channel").shown()
    assert rows == [
        {"channel": "counter", "sales": 4, "gross": "42.00", "refunds": 1, "refunded": "5.00",
         "net": "37.00", "average_basket": "10.50", "voids": 1, "voided": "3.50"},
        {"channel": "marketplace", "sales": 1, "gross": "12.00", "refunds": 0,
         "refunded": "0.00", "net": "12.00", "average_basket": "12.00", "voids": 0,
         "voided": "0.00"},
    ]


def test_products_and_categories_over_whole_months_and_edge_days(history: ShopFixture) -> None:
    everything = DateRange(date(2026, 3, 1), date(2026, 10, 31))
    rows = sales_report(history.db, everything, "product").shown()
    assert [(r["product"], r["category"], r["quantity"], r["net"], r["refunded_quantity"],
             r["refunded"]) for r in rows] == [
        ("Sourdough", "Bread", "4", "22.00", "1", "5.00"),  # 2 - 1 + 1 at the counter, 2 online
        ("Rye", "Bread", "1", "20.00", "0", "0.00"),  # the cancelled order does not count
        ("Mug", "Uncategorised", "1", "7.00", "0", "0.00"),
    ]
    # 29 Mar .. 25 Oct: whole months Apr-Sep from the monthly rollup, the edges from the daily.
    middle = DateRange(date(2026, 3, 29), date(2026, 10, 25))
    assert middle.whole_months() == ("2026-04", "2026-09")
    rows = sales_report(history.db, middle, "product").shown()
    assert [(r["product"], r["quantity"], r["net"]) for r in rows] == [
        ("Rye", "1", "20.00"), ("Sourdough", "2", "12.00"), ("Mug", "1", "7.00")]
    cats = sales_report(history.db, everything, "category").shown()
    assert [(c["category"], c["quantity"], c["net"]) for c in cats] == [
        ("Bread", "5", "42.00"), ("Uncategorised", "1", "7.00")]


def test_heatmap_by_weekday_and_local_hour(history: ShopFixture) -> None:
    table = sales_report(history.db, DateRange(date(2026, 3, 1), date(2026, 10, 31)), "hour")
    cells = {(r["weekday"], r["hour"]): (r["sales"], r["net"]) for r in table.shown()
             if r["sales"] or r["net"] != "0.00"}
    assert cells == {
        ("Sat", 23): (1, "10.00"),  # A
        ("Mon", 0): (1, "20.00"),  # B
        ("Thu", 11): (0, "-5.00"),  # the refund
        ("Sun", 0): (2, "17.00"),  # the order (00:30 GMT, 29 Mar) and C (00:30 IST, 25 Oct)
        ("Sun", 23): (1, "7.00"),  # D
    }
    assert len(table.rows) == 7 * 24


def test_order_funnel(history: ShopFixture) -> None:
    with history.db.read() as conn:
        funnel = analytics.funnel(conn, DateRange(date(2026, 3, 29), date(2026, 3, 29)))
    assert (funnel.placed, funnel.accepted, funnel.rejected, funnel.timed_out,
            funnel.customer_cancelled, funnel.completed) == (2, 1, 0, 1, 0, 1)
    assert funnel.average_prep_minutes == 20


def test_rollups_equal_a_full_recomputation(history: ShopFixture) -> None:
    incremental, rebuilt = incremental_and_rebuilt(history.db)
    assert incremental == rebuilt
    assert incremental["analytics_daily"]  # the triggers did write something


def test_csv_has_one_line_per_period_and_channel(history: ShopFixture) -> None:
    text = to_csv(sales_report(history.db, DateRange(date(2026, 4, 1), date(2026, 4, 2)),
                               "day"))
    assert text.splitlines() == [
        "period,channel,sales,gross,refunds,refunded,net",
        "2026-04-01,counter,0,0.00,0,0.00,0.00",
        "2026-04-01,marketplace,0,0.00,0,0.00,0.00",
        "2026-04-02,counter,0,0.00,1,5.00,-5.00",
        "2026-04-02,marketplace,0,0.00,0,0.00,0.00",
    ]


def test_a_mostly_covered_month_is_the_month_minus_the_days_outside(history: ShopFixture
                                                                    ) -> None:
    """25 Oct is most of October: read as October's monthly rollup minus 26-31 Oct, so a
    sale on 28 Oct must come off again."""
    from local_db.writer import Tx
    from tests.analytics.documents import add_product, utc, write_sale

    vase = add_product(history.db, "Vase", 3000, "Ceramics")

    def write(tx: Tx) -> None:
        write_sale(tx, history, utc("2026-10-28T12:00:00Z"), [(vase, 1000, 3000)])

    history.db.write(write)
    middle = DateRange(date(2026, 3, 29), date(2026, 10, 25))
    assert (1, "month", "2026-10", "2026-10") in rollup_plan(middle)
    assert (-1, "day", "2026-10-26", "2026-10-31") in rollup_plan(middle)
    rows = sales_report(history.db, middle, "product").shown()
    assert [(r["product"], r["net"]) for r in rows] == [
        ("Rye", "20.00"), ("Sourdough", "12.00"), ("Mug", "7.00")]
    whole = sales_report(history.db, DateRange(date(2026, 10, 1), date(2026, 10, 31)),
                         "product").shown()
    assert [(r["product"], r["net"]) for r in whole] == [
        ("Vase", "30.00"), ("Mug", "7.00"), ("Sourdough", "5.00")]
