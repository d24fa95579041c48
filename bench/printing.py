"""9. Printing: sale completed -> receipt bytes handed to the transport, and a 100-receipt burst.

Latency covers what the till does after ``complete_sale`` returns: read the sale back as a
receipt document, build the ESC/POS bytes, persist the print job, then (printer link) open the
transport, check status and hand the job bytes over. The transport here answers at once (an
in-memory printer), so the figure is our own cost, not the printer's. The raw baseline is
``build_receipt`` alone (bytes from a ready document).

The burst prints 100 receipts through the persisted queue to the emupos emulator on loopback
(when installed: scripts/ensure-emupos.sh) and checks every receipt came out exactly once.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from pathlib import Path

from bench.common import Report, pct
from local_db.database import Database
from vendor_console.devices.print_queue import PrintQueue
from vendor_console.devices.printer_link import Outcome
from vendor_console.devices.printers import add_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.receipt_builder import build_receipt
from vendor_console.permissions import Actor
from vendor_console.receipts import receipt_for_sale
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart, CartLine, Tender
from vendor_console.services.shifts import ShiftService
from vendor_console.services.shop import ShopDraft, TaxRateDraft, create_shop
from vendor_console.services.staff import StaffService


class _InstantPrinter:
    """An in-memory bidirectional transport: idle status, GS r answered at once."""

    description = "bench printer"
    bidirectional = True

    def __init__(self, handed: list[float]) -> None:
        self._handed = handed
        self._replies = b""

    async def open(self, timeout: float) -> None:
        self._replies = b""

    async def write(self, data: bytes) -> None:
        if len(data) > 3:
            self._handed.append(time.perf_counter())
            self._replies += b"\x00"
        else:
            self._replies += b"\x12"

    async def read(self, n: int, timeout: float) -> bytes:
        reply, self._replies = self._replies[:n], self._replies[n:]
        return reply

    async def close(self) -> None:
        pass


def _shop(db: Database) -> tuple[CheckoutService, Actor, list[str]]:
    info = create_shop(db, ShopDraft(name="Bench Bakery", currency="EUR", locale="de_DE",
                                     timezone="Europe/Berlin",
                                     tax_rates=(TaxRateDraft("standard", "Standard", 1900),)))
    owner = StaffService(db).add_staff(None, "Bench", "owner", "1111")
    ShiftService(db).open_shift(owner, 10_000)
    catalog = CatalogService(db)
    variants = []
    for i, name in enumerate(("Crème brûlée", "Smørrebrød", "Brötchen", "Café au lait",
                              "Pain d'épices")):
        product = catalog.create_product(owner, ProductDraft(name=name, variants=[VariantDraft(
            price=250 + 75 * i, tax_rate_id=info.tax_rate_ids["standard"],
            track_inventory=False)]))
        variants.append(product.variants[0].id)
    return CheckoutService(db), owner, variants


def _sell(checkout: CheckoutService, owner: Actor, variants: list[str], n: int) -> str:
    cart = Cart(tuple(CartLine(v, 1000 * (1 + (n + i) % 3)) for i, v in enumerate(variants)))
    total = checkout.quote(cart).total
    return checkout.complete_sale(owner, cart, [Tender("CARD", total)]).id


def run(report: Report, work: Path, *, sales: int, burst: int = 100) -> None:
    print(f"[9] printing: {sales:,} sales to receipt bytes; {burst}-receipt burst", flush=True)
    db = Database.open(work / "printing.db")
    try:
        checkout, owner, variants = _shop(db)
        handed: list[float] = []
        queue = PrintQueue(db, transport_factory=lambda url: _InstantPrinter(handed))
        printer = add_printer(db, PrinterProfile(name="Bench", url="tcp://127.0.0.1:9"))
        latencies, builds = [], []
        for n in range(sales):
            sale_id = _sell(checkout, owner, variants, n)
            started = time.perf_counter()
            queue.enqueue_receipt(printer, sale_id)
            asyncio.run(queue.process(printer.id))
            latencies.append((handed[-1] - started) * 1000)
            doc = receipt_for_sale(db, sale_id)
            t0 = time.perf_counter()
            build_receipt(doc, printer.profile)
            builds.append((time.perf_counter() - t0) * 1000)
        report.add("printing", "sale done -> receipt bytes handed to transport, p50 / p99",
                   f"{pct(latencies, 50):.2f} / {pct(latencies, 99):.2f} ms",
                   f"build only p99 {pct(builds, 99):.2f} ms")
        _burst(report, db, checkout, owner, variants=variants, count=burst)
    finally:
        db.close()


def _burst(report: Report, db: Database, checkout: CheckoutService, owner: Actor, *,
           variants: list[str], count: int) -> None:
    from tests.devices.emupos import DEFAULT_BIN, Emupos

    binary = Path(os.environ.get("EMUPOS_BIN") or DEFAULT_BIN)
    if not binary.is_file():
        report.notes.append("printing burst skipped: emupos not installed "
                            "(scripts/ensure-emupos.sh)")
        return
    with tempfile.TemporaryDirectory(prefix="vc-emupos-") as tmp:
        emu = Emupos(binary, Path(tmp))
        try:
            printer = add_printer(db, PrinterProfile(name="Emulator", url=emu.printer_url))
            queue = PrintQueue(db)
            numbers = {}
            for n in range(count):
                sale_id = _sell(checkout, owner, variants, n)
                numbers[checkout.get_sale(sale_id).receipt_number] = sale_id
                queue.enqueue_receipt(printer, sale_id)
            start = len(emu.events)
            t0 = time.perf_counter()
            results = asyncio.run(queue.process(printer.id))
            seconds = time.perf_counter() - t0
            emu.sync()
            completed = [e["data"]["receipt_id"] for e in emu.events[start:]
                         if e["type"] == "printer.job.completed"]
            printed = [m.group(1) for rid in completed
                       for m in [re.search(r"Receipt (\S+)", emu.receipt_text(rid))] if m]
            ok = (sorted(printed) == sorted(numbers) and len(results) == count
                  and all(r.outcome is Outcome.PRINTED for _, r in results)
                  and not emu.bad_events(start))
            report.add("printing", f"{count}-receipt burst to emupos (loopback)",
                       f"{len(set(printed))} distinct of {count}, {len(printed)} printed, "
                       f"{count / seconds:.0f} receipts/s", "",
                       "all once, none lost", "PASS" if ok else "FAIL")
        finally:
            emu.stop()
