"""8. Import of a Shopify product CSV (10k rows, 2024+ headers) generated on the fly.

Measures the dry run (read, sniff, plan) and the import (read, plan again inside the write,
products + variants + keywords + outbox rows, stock counts, audit; one transaction) into a
fresh shop, then the same file again (idempotent: nothing to write). Baseline: reading the
same file with the csv module alone.
"""

from __future__ import annotations

import csv
import io
import random
import time
from pathlib import Path

from bench.common import Report, verdict
from local_db.database import Database
from vendor_console.barcodes import gtin_check_digit
from vendor_console.catalog_io import CatalogTransfer
from vendor_console.catalog_io.export import SHOPIFY_HEADERS
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService

VARIANTS_PER_PRODUCT = 4
SIZES = ("Small", "Medium", "Large", "Family")
WORDS = ("Sourdough", "Rye", "Honey", "Almond", "Walnut", "Lemon", "Ginger", "Oat", "Seeded",
         "Spelt", "Caramel", "Pistachio", "Sesame", "Cherry", "Fig", "Chocolate")
KINDS = ("Loaf", "Tart", "Biscuit", "Cake", "Bun", "Scone", "Jar", "Cookie")


def shopify_csv(rows: int, seed: int = 8) -> bytes:
    """``rows`` variant rows, ``VARIANTS_PER_PRODUCT`` per product, with SKUs, EAN-13s,
    compare-at prices, tags, categories and stock, as Shopify writes them (BOM, CRLF)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SHOPIFY_HEADERS)
    for p in range(rows // VARIANTS_PER_PRODUCT):
        title = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)} {p}"
        handle = title.lower().replace(" ", "-")
        for i, size in enumerate(SIZES[:VARIANTS_PER_PRODUCT]):
            body = f"29{p:06d}{i:04d}"
            price = rng.randrange(150, 4000)
            product = ([title, handle, f"<p>{title}, baked daily.</p>", "Hazel & Rye", "",
                        rng.choice(KINDS) + "s", "vegan, organic", "TRUE", "active"]
                       if i == 0 else ["", handle] + [""] * 7)
            writer.writerow([
                *product, f"SKU-{p}-{i}", body + gtin_check_digit(body),
                "Size" if i == 0 else "", size, "", "", "", "", f"{price / 100:.2f}",
                f"{(price + 100) / 100:.2f}" if i == 1 else "", f"{price / 300:.2f}",
                "shopify", str(rng.randrange(0, 60)), "FALSE", "250" if i == 0 else ""])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def run(report: Report, work: Path, *, rows: int) -> None:
    print(f"[8] catalog import, Shopify CSV with {rows:,} rows", flush=True)
    path = work / "shopify-import.csv"
    path.write_bytes(shopify_csv(rows))
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        raw_rows = sum(1 for _ in csv.reader(handle))
    raw_s = time.perf_counter() - start
    db = Database.open(work / "import.db")
    try:
        create_shop(db, ShopDraft(name="Bench", currency="EUR"))
        owner = StaffService(db).add_staff(None, "Olive", "owner", "1111")
        transfer = CatalogTransfer(db)
        start = time.perf_counter()
        plan = transfer.dry_run(path)
        dry_s = time.perf_counter() - start
        start = time.perf_counter()
        result = transfer.apply(owner, path)
        apply_s = time.perf_counter() - start
        start = time.perf_counter()
        again = transfer.apply(owner, path)
        again_s = time.perf_counter() - start
    finally:
        db.close()
    assert result.created == rows // VARIANTS_PER_PRODUCT and not plan.rejected_rows
    assert again.created == again.updated == again.counts == 0
    report.add("8 catalog import", f"dry run (read, sniff, plan), {rows:,} rows",
               f"{dry_s:.2f} s", f"csv.reader alone {raw_s * 1e3:.0f} ms ({raw_rows:,} rows)")
    report.add("8 catalog import",
               f"import into an empty shop: {result.created:,} products, {rows:,} variants, "
               f"{result.counts:,} stock counts, one transaction",
               f"{apply_s:.2f} s, {rows / apply_s:,.0f} rows/s", "", "<= 10 s",
               verdict(apply_s <= 10))
    report.add("8 catalog import", "the same file again (idempotent, nothing written)",
               f"{again_s:.2f} s")
