"""Build the Hazel & Rye demo shop: settings, staff, catalog with pictures, 90 days of trading.

:func:`build_demo` creates the shop once, in one write transaction, and skips if the database
already belongs to a shop. History rows are bulk-loaded (local_db.bulk) and never put in the
outbox: they are the past, already synced with the marketplace.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, select, update

from local_db import tables
from local_db.bulk import bulk_insert
from local_db.database import Database
from local_db.rollups import rollups_deferred
from local_db.types import format_utc, parse_utc, utc_now
from local_db.writer import Tx
from vendor_console.demo.catalog import CatalogRows, build_catalog
from vendor_console.demo.history import Staffing, generate
from vendor_console.demo.images import write_image
from vendor_console.demo.ledger import Ledger
from vendor_console.demo.orders import OrderBook
from vendor_console.demo.sales import Counter
from vendor_console.ids import new_id
from vendor_console.services import audit
from vendor_console.services.shop import ShopDraft, TaxRateDraft, create_shop_tx, get_shop
from vendor_console.services.staff import hash_pin

SHOP_NAME = "Hazel & Rye"
DEFAULT_SEED = 7
TIMEZONE = "Europe/Dublin"
# (name, role, PIN) — the PINs are documented in the README.
STAFF = (("Hazel", "owner", "1111"), ("Ronan", "manager", "2222"), ("Aoife", "cashier", "3333"))
DRAFT = ShopDraft(
    name=SHOP_NAME, currency="EUR", locale="en_IE", timezone=TIMEZONE, prices_include_tax=True,
    cash_rounding=5, location_name="Manor Street", device_prefix="A",
    tax_rates=(TaxRateDraft("standard", "Standard 23 %", 2300),
               TaxRateDraft("reduced", "Reduced 13.5 %", 1350),
               TaxRateDraft("zero", "Zero rate", 0)),
)
SHOP_DETAILS = {
    "legal_name": "Hazel & Rye Bakery and Crafts Ltd",
    "address": "14 Manor Street, Stoneybatter, Dublin 7, D07 X2Y4, Ireland",
    "tax_number": "IE3456789LH",
    "receipt_header": "Hazel & Rye\nBakery · Coffee · Makers\n14 Manor Street, Dublin 7",
    "receipt_footer": "Thank you! Returns on crafts within 30 days with this receipt.",
}
# Tables written from the generated history, parents before children.
HISTORY_ORDER = ("shifts", "sales", "sale_lines", "sale_taxes", "sale_tenders", "cash_movements",
                 "orders", "order_lines", "order_status_history", "stock_movements",
                 "stock_levels")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    created: bool  # False: the database already had a shop, nothing was written
    shop_name: str
    products: int = 0
    variants: int = 0
    images: int = 0
    staff: tuple[tuple[str, str, str], ...] = ()  # (name, role, PIN)
    trading_days: int = 0
    sales: int = 0
    refunds: int = 0
    orders: int = 0
    stock_movements: int = 0
    seconds: float = 0.0


def build_demo(
    db: Database, *, seed: int = DEFAULT_SEED, days: int = 90, images_dir: Path,
    now: datetime | None = None,
) -> DemoSummary:
    """Create the demo shop in ``db`` unless it already has a shop. Deterministic per seed
    (ids and "now" aside); ``now`` (UTC) is the end of the history, default the current time."""
    started = time.perf_counter()
    with db.read() as conn:
        existing = get_shop(conn)
    if existing is not None:
        return DemoSummary(False, existing.name)
    end = now or utc_now()
    pin_hashes = [hash_pin(pin) for _, _, pin in STAFF]

    def write(tx: Tx) -> DemoSummary:
        create_shop_tx(tx, DRAFT)
        tx.conn.execute(update(tables.shop).values(**SHOP_DETAILS))
        info = get_shop(tx.conn)
        assert info is not None
        rng = random.Random(seed)
        stamp = format_utc(end - timedelta(days=days + 1))
        staff_ids = _insert_staff(tx, pin_hashes, stamp)
        catalog = build_catalog(rng, info.tax_rate_ids, stamp)
        for table, rows in (("categories", catalog.categories), ("products", catalog.products),
                            ("variants", catalog.variants)):
            bulk_insert(tx.conn, _table(table), rows)
        images = _images(catalog, images_dir, rng, stamp)
        bulk_insert(tx.conn, tables.product_images, images)
        rates = {code: _rate_bp(tx, rate_id) for code, rate_id in info.tax_rate_ids.items()}
        counter = Counter(info.currency, info.default_location_id, info.device_prefix,
                          info.cash_rounding, rates)
        history = generate(
            catalog.sellable, counter=counter, book=OrderBook(info.currency, rates),
            ledger=Ledger(info.default_location_id),
            staffing=Staffing(*staff_ids), days=days, now=end, tz=ZoneInfo(TIMEZONE), rng=rng,
        )
        with rollups_deferred(tx.conn):  # one analytics rebuild instead of per-row triggers
            for table in HISTORY_ORDER:
                bulk_insert(tx.conn, _table(table), history.tables.get(table, []))
        tx.conn.execute(insert(tables.counters),
                        [{"name": k, "value": v} for k, v in history.counters.items()])
        for refund in history.refunds:
            audit.append(tx, "refund", staff_id=refund["staff_id"], entity_type="sale",
                         entity_id=refund["entity_id"], details=refund["details"],
                         at=parse_utc(refund["at"]))
        for entity in ("shop", "staff", "product", "stock", "sale", "order"):
            tx.changed(entity)
        sales = history.tables["sales"]
        refunds = sum(1 for s in sales if s["kind"] == "REFUND")
        return DemoSummary(
            True, SHOP_NAME, len(catalog.products), len(catalog.variants), len(images),
            STAFF, history.trading_days, len(sales) - refunds, refunds,
            len(history.tables["orders"]), len(history.tables["stock_movements"]),
        )

    summary = db.write(write)
    return replace(summary, seconds=time.perf_counter() - started)


def _table(name: str) -> Table:
    table: Table = getattr(tables, name)
    return table


def _rate_bp(tx: Tx, rate_id: str) -> int:
    return int(tx.conn.execute(
        select(tables.tax_rates.c.rate_bp).where(tables.tax_rates.c.id == rate_id)
    ).scalar_one())


def _insert_staff(tx: Tx, pin_hashes: list[str], stamp: str) -> list[str]:
    ids = [new_id() for _ in STAFF]
    bulk_insert(tx.conn, tables.staff, [
        {"id": staff_id, "name": name, "role_code": role, "pin_hash": pin_hash,
         "active": True, "failed_attempts": 0, "locked_until": None,
         "created_at": stamp, "updated_at": stamp}
        for staff_id, (name, role, _), pin_hash in zip(ids, STAFF, pin_hashes, strict=True)
    ])
    return ids


def _images(
    catalog: CatalogRows, folder: Path, rng: random.Random, stamp: str
) -> list[dict[str, Any]]:
    """One or two pictures per product, written under ``folder`` (the data dir's images/)."""
    rows = []
    for product in catalog.products:
        name, category, color = catalog.initials[product["id"]]
        for position in range(1 + (rng.random() < 0.4)):
            file_name = f"demo/{product['id']}-{position + 1}.webp"
            image = write_image(folder, file_name, name, color=color, variant=position, rng=rng)
            alt = f"{name} ({category})" if position == 0 else f"{name}, another view"
            rows.append({
                "id": new_id(), "product_id": product["id"], "position": position,
                "file_name": image.file_name, "sha256": image.sha256, "width": image.width,
                "height": image.height, "alt_text": alt, "remote_id": None, "derived": {},
                "created_at": stamp, "updated_at": stamp,
            })
    return rows
