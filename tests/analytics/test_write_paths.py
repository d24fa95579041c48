"""The rollups through the app's real write paths: checkout and refund services, the demo
builder's bulk load (rollups deferred, one rebuild), and the upgrade of an older database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import insert

from local_db.database import Database
from local_db.engine import make_engine
from local_db.migrate import alembic_config
from local_db.rollups import rollups_deferred, trigger_names
from local_db.tables import sales
from local_db.writer import Tx
from tests.analytics.documents import U, add_product, incremental_and_rebuilt, rollup_rows
from tests.conftest import ShopFixture
from tests.services.test_checkout import card, line
from vendor_console.demo import build_demo
from vendor_console.services.analytics_dashboard import sales_report, shop_today
from vendor_console.services.analytics_range import DateRange
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart
from vendor_console.services.refunds import RefundLine, RefundService
from vendor_console.services.shifts import ShiftService
from vendor_console.services.shop import ShopDraft, create_shop


def test_checkout_and_refund_update_todays_figures(shop: ShopFixture) -> None:
    loaf = add_product(shop.db, "Loaf", 450, "Bread")
    ShiftService(shop.db).open_shift(shop.manager, 10_000)
    sale = CheckoutService(shop.db).complete_sale(
        shop.cashier, Cart((line(loaf.variant_id, 3),)), [card(1350)])
    RefundService(shop.db).refund(shop.manager, sale.id, [RefundLine(sale.lines[0].id, U)],
                                  [card(450)], reason="stale")
    today = shop_today(shop.db)
    rows = sales_report(shop.db, DateRange(today, today), "channel").shown()
    assert rows[0] == {"channel": "counter", "sales": 1, "gross": "13.50", "refunds": 1,
                       "refunded": "4.50", "net": "9.00", "average_basket": "13.50",
                       "voids": 0, "voided": "0.00"}
    products = sales_report(shop.db, DateRange(today, today), "product").shown()
    assert [(p["product"], p["quantity"], p["net"]) for p in products] == [("Loaf", "2", "9.00")]


def test_deferred_block_writes_no_rollups_then_rebuilds_once(shop: ShopFixture) -> None:
    def load(tx: Tx) -> tuple[list[str], int, int]:
        with rollups_deferred(tx.conn):
            inside = trigger_names(tx.conn)
            tx.conn.execute(insert(sales), {
                "id": "s1", "receipt_number": "X-1", "kind": "SALE",
                "staff_id": shop.owner.staff_id, "location_id": shop.location_id,
                "currency": "EUR", "prices_include_tax": True, "subtotal": 500,
                "discount_total": 0, "tax_total": 0, "rounding": 0, "total": 500,
                "completed_at": datetime(2026, 5, 1, 9, tzinfo=UTC)})
            during = len(rollup_rows(tx.conn)["analytics_daily"])
        return inside, during, len(rollup_rows(tx.conn)["analytics_daily"])

    inside, during, after = shop.db.write(load)
    assert inside == [] and during == 0  # no triggers, nothing rolled up row by row
    assert after == 1  # the rebuild at the end of the block
    assert len(trigger_names_of(shop.db)) == 13  # and the triggers are back
    incremental, rebuilt = incremental_and_rebuilt(shop.db)
    assert incremental == rebuilt


def trigger_names_of(db: Database) -> list[str]:
    with db.read() as conn:
        return trigger_names(conn)


def test_demo_build_rolls_up_its_history(tmp_path: Path, db: Database) -> None:
    summary = build_demo(db, days=14, images_dir=tmp_path / "images",
                         now=datetime(2026, 11, 20, 18, tzinfo=UTC))
    incremental, rebuilt = incremental_and_rebuilt(db)
    assert incremental == rebuilt
    rows = sales_report(db, DateRange.parse("2026-11-01", "2026-11-20"), "channel").shown()
    assert rows[0]["sales"] == summary.sales and rows[0]["refunds"] == summary.refunds
    assert len(trigger_names_of(db)) == 13


def test_upgrading_an_older_database_rolls_up_its_existing_sales(db_path: Path) -> None:
    with Database.open(db_path) as db:  # a shop, then back to revision 0006
        info = create_shop(db, ShopDraft(name="Old shop", currency="EUR",
                                         timezone="America/New_York"))
    engine = make_engine(db_path)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006_catalog_tools")
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'analytics%'"
                            ).fetchone() == (0,)
        conn.execute("INSERT INTO staff (id, name, role_code, pin_hash, active, failed_attempts,"
                     " created_at, updated_at) VALUES ('st', 'A', 'owner', 'x', 1, 0, '', '')")
        conn.execute(
            "INSERT INTO sales (id, receipt_number, kind, staff_id, location_id, currency,"
            " prices_include_tax, subtotal, discount_total, tax_total, rounding, total,"
            " completed_at) VALUES ('s1', 'A-1', 'SALE', 'st', ?, 'EUR', 1, 800, 0, 0, 0, 800,"
            " '2026-07-04T02:00:00.000000Z')", (info.default_location_id,))
    with Database.open(db_path) as db:
        # 02:00Z on 4 July is 22:00 on 3 July in New York (EDT, UTC-4).
        rows = sales_report(db, DateRange.parse("2026-07-03", "2026-07-04"), "day").shown()
    assert [(r["period"], r["gross"]) for r in rows if r["channel"] == "counter"] == [
        ("2026-07-03", "8.00"), ("2026-07-04", "0.00")]


def test_a_shop_in_an_unknown_time_zone_is_refused(db: Database) -> None:
    import pytest

    from vendor_console.errors import ValidationError

    with pytest.raises(ValidationError, match="Unknown time zone 'Mars/Olympus'"):
        create_shop(db, ShopDraft(name="Far away", currency="EUR", timezone="Mars/Olympus"))
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM shop").scalar() == 0
