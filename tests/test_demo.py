"""The Hazel & Rye demo shop: built once, believable, and consistent with the services' rules."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Connection, select

from local_db.database import Database
from local_db.types import parse_utc
from marketplace_sandbox import models as sandbox_models
from marketplace_sandbox.db import Database as SandboxDatabase
from marketplace_sandbox.seed import seed_demo
from vendor_console.barcodes import is_valid_gtin
from vendor_console.demo import DemoSummary, build_demo
from vendor_console.demo.catalog_export import SANDBOX_FILE, demo_catalog_document
from vendor_console.services.audit import verify_chain
from vendor_console.services.staff import StaffService

NOW = datetime(2026, 6, 15, 11, 30, tzinfo=UTC)  # a Monday; history ends the day before


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path, DemoSummary]]:
    root = tmp_path_factory.mktemp("demo")
    db = Database.open(root / "shop.db")
    try:
        summary = build_demo(db, images_dir=root / "images", now=NOW)
        yield db, root / "images", summary
    finally:
        db.close()


def _scalar(conn: Connection, sql: str) -> int:
    return int(conn.exec_driver_sql(sql).scalar_one())


def test_demo_shop_has_catalog_staff_and_history(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, _, summary = demo
    assert summary.created
    with db.read() as conn:
        shop = conn.exec_driver_sql("SELECT name, currency, locale, timezone, "
                                    "prices_include_tax, device_prefix FROM shop").one()
        assert tuple(shop) == ("Hazel & Rye", "EUR", "en_IE", "Europe/Dublin", 1, "A")
        assert 190 <= _scalar(conn, "SELECT count(*) FROM products") <= 210
        assert _scalar(conn, "SELECT count(DISTINCT category_id) FROM products") == 10
        rates = conn.exec_driver_sql("SELECT rate_bp FROM tax_rates ORDER BY rate_bp").scalars()
        assert list(rates) == [0, 1350, 2300]
        roles = conn.exec_driver_sql("SELECT role_code FROM staff ORDER BY role_code").scalars()
        assert list(roles) == ["cashier", "manager", "owner"]
        days = conn.exec_driver_sql(
            "SELECT min(completed_at), max(completed_at) FROM sales").one()
        span = parse_utc(days[1]) - parse_utc(days[0])
        assert 85 <= span.days <= 90
        assert parse_utc(days[1]) < NOW
        per_day = conn.exec_driver_sql(
            "SELECT count(*) FROM sales WHERE kind = 'SALE' "
            "GROUP BY substr(completed_at, 1, 10)").scalars().all()
        assert len(per_day) >= 70 and min(per_day) >= 25 and max(per_day) <= 80
        assert _scalar(conn, "SELECT count(*) FROM sales WHERE kind = 'REFUND'") >= 3
        tenders = set(conn.exec_driver_sql("SELECT DISTINCT kind FROM sale_tenders").scalars())
        assert tenders == {"CASH", "CARD"}
        statuses = {str(status): int(count) for status, count in conn.exec_driver_sql(
            "SELECT status, count(*) FROM orders GROUP BY status")}
        assert statuses["COMPLETED"] > 300 and statuses["CANCELLED"] > 5
        assert statuses["PENDING"] >= 1 and statuses["CONFIRMED"] >= 1
        # The past is already synced: nothing waits in the outbox.
        assert _scalar(conn, "SELECT count(*) FROM outbox") == 0
    assert summary.products >= 190 and summary.sales > 2000


def test_staff_sign_in_with_the_documented_pins(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, _, summary = demo
    service = StaffService(db)
    members = {m.name: m.id for m in service.list_staff()}
    for name, role, pin in summary.staff:
        actor = service.sign_in(members[name], pin)
        assert actor.role == role


def test_building_again_changes_nothing(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, images, _ = demo
    with db.read() as conn:
        before = _scalar(conn, "SELECT count(*) FROM products")
    again = build_demo(db, images_dir=images, now=NOW)
    assert not again.created
    with db.read() as conn:
        assert _scalar(conn, "SELECT count(*) FROM products") == before
        assert _scalar(conn, "SELECT count(*) FROM shop") == 1


def test_stock_levels_equal_the_ledger(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, _, _ = demo
    with db.read() as conn:
        mismatches = _scalar(conn, """
            SELECT count(*) FROM (
                SELECT m.variant_id, m.location_id, sum(m.delta) AS total, l.on_hand
                FROM stock_movements m LEFT JOIN stock_levels l
                  ON l.variant_id = m.variant_id AND l.location_id = m.location_id
                GROUP BY m.variant_id, m.location_id
            ) WHERE on_hand IS NULL OR on_hand != total""")
        assert mismatches == 0
        negative = _scalar(conn, """
            SELECT count(*) FROM stock_levels l JOIN variants v ON v.id = l.variant_id
            WHERE v.inventory_policy = 'DENY' AND l.on_hand < 0""")
        assert negative == 0
        received = _scalar(conn, "SELECT count(*) FROM stock_movements WHERE reason='received'")
        assert received > 100
        # Bread was baked this morning, so the till can sell it today.
        assert _scalar(conn, """SELECT count(*) FROM stock_levels l JOIN variants v
            ON v.id = l.variant_id WHERE v.sku LIKE 'HR-BRD-%' AND l.on_hand > 0""") > 10


def test_every_product_has_a_picture(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, images, _ = demo
    with db.read() as conn:
        assert _scalar(conn, "SELECT count(*) FROM products p WHERE NOT EXISTS "
                             "(SELECT 1 FROM product_images i WHERE i.product_id = p.id)") == 0
        rows = conn.exec_driver_sql(
            "SELECT file_name, sha256, width, height, alt_text FROM product_images").all()
    for file_name, sha256, width, height, alt_text in rows:
        path = images / file_name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
        with Image.open(path) as picture:
            picture.load()
            assert picture.size == (width, height) == (320, 320)
        assert alt_text


def test_codes_are_valid_and_unique(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, _, _ = demo
    with db.read() as conn:
        barcodes = conn.exec_driver_sql(
            "SELECT barcode FROM variants WHERE barcode IS NOT NULL").scalars().all()
        skus = conn.exec_driver_sql("SELECT sku FROM variants").scalars().all()
        weighed = {(str(unit), int(precision)) for unit, precision in conn.exec_driver_sql(
            "SELECT unit, precision FROM variants WHERE unit != 'pc'")}
    assert len(barcodes) > 300
    assert all(is_valid_gtin(code) and code[:2] == "20" for code in barcodes)
    assert len(set(barcodes)) == len(barcodes)
    assert None not in skus and len(set(skus)) == len(skus)
    assert ("kg", 3) in weighed and ("g", 0) in weighed


def test_sale_documents_add_up(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, _, _ = demo
    with db.read() as conn:
        assert _scalar(conn, """SELECT count(*) FROM sales s WHERE
            s.subtotal != (SELECT sum(total) FROM sale_lines WHERE sale_id = s.id)
            OR s.total != s.subtotal - s.discount_total + s.rounding
            OR s.tax_total != (SELECT sum(tax_amount) FROM sale_lines WHERE sale_id = s.id)
            OR s.total != (SELECT sum(amount) FROM sale_tenders WHERE sale_id = s.id)""") == 0
        # Cash totals are rounded to 5 cent; card totals are exact.
        assert _scalar(conn, """SELECT count(*) FROM sales s JOIN sale_tenders t
            ON t.sale_id = s.id WHERE t.kind = 'CASH' AND s.total % 5 != 0""") == 0
        # Every sale happened inside an open shift of its till.
        assert _scalar(conn, """SELECT count(*) FROM sales s JOIN shifts h ON h.id = s.shift_id
            WHERE s.completed_at <= h.opened_at OR s.completed_at >= h.closed_at""") == 0
        assert _scalar(conn, "SELECT count(*) FROM sales WHERE shift_id IS NULL") == 0
        # A closed shift's expected cash is the float plus its cash movements.
        assert _scalar(conn, """SELECT count(*) FROM shifts h WHERE h.expected_cash !=
            (SELECT sum(amount) FROM cash_movements c WHERE c.shift_id = h.id)""") == 0
        receipts = conn.exec_driver_sql(
            "SELECT receipt_number FROM sales ORDER BY completed_at").scalars().all()
        counter = _scalar(conn, "SELECT value FROM counters WHERE name = 'receipt'")
        assert receipts == [f"A-{n:06d}" for n in range(1, len(receipts) + 1)]
        assert counter == len(receipts)
        refund_lines = _scalar(conn, """SELECT count(*) FROM sale_lines l
            JOIN sales s ON s.id = l.sale_id WHERE s.kind = 'REFUND'
            AND l.original_line_id IS NULL""")
        assert refund_lines == 0
        assert verify_chain(conn).ok


def test_orders_snapshot_their_lines(demo: tuple[Database, Path, DemoSummary]) -> None:
    db, _, _ = demo
    with db.read() as conn:
        assert _scalar(conn, """SELECT count(*) FROM orders o WHERE o.subtotal !=
            (SELECT sum(total) FROM order_lines WHERE order_id = o.id)
            OR o.total != o.subtotal + o.delivery_fee""") == 0
        assert _scalar(conn, """SELECT count(*) FROM orders o WHERE o.status !=
            (SELECT status FROM order_status_history h WHERE h.order_id = o.id
             ORDER BY at DESC LIMIT 1)""") == 0
        assert _scalar(conn, "SELECT count(*) FROM order_status_history WHERE at > "
                             f"'{NOW.strftime('%Y-%m-%dT%H:%M:%S')}'") == 0


def test_sandbox_demo_catalog_file_is_current() -> None:
    # The sandbox seeds its demo vendor from this file; rerun `vendor-console demo
    # export-catalog` when the console's demo catalog changes.
    committed = json.loads(SANDBOX_FILE.read_text(encoding="utf-8"))
    assert committed == demo_catalog_document()


def test_sandbox_demo_vendor_sells_the_console_demo_catalog(
    demo: tuple[Database, Path, DemoSummary], tmp_path: Path
) -> None:
    db, _, _ = demo
    with db.read() as conn:
        console = {(r.sku, r.barcode, r.price) for r in conn.exec_driver_sql(
            "SELECT sku, barcode, price FROM variants WHERE archived_at IS NULL")}
    server_db = SandboxDatabase(f"sqlite:///{tmp_path / 'sandbox.db'}")
    try:
        server_db.create_schema()
        seeded = seed_demo(server_db)
        with server_db.read() as conn:
            docs = [json.loads(row.doc) for row in conn.execute(
                select(sandbox_models.variants.c.doc).where(
                    sandbox_models.variants.c.vendor_id == seeded.vendor_id))]
    finally:
        server_db.dispose()
    server = {(d["sku"], d["barcode"], d["price"]["amount"]) for d in docs}
    assert len(console) > 200
    assert server == console
    assert {d["price"]["currency"] for d in docs} == {"EUR"}
