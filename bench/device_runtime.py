"""9b. Printing through the device thread, as the till does it.

Sale completed -> ``DeviceRuntime.print_sale`` (a hop to the device thread, the receipt read
back and built, the job persisted, the printer's worker woken) -> job bytes handed to the
transport, p50/p99, against an in-memory printer that answers at once (our own cost); the raw
baseline is ``build_receipt`` alone from a ready document. Then a 100-receipt burst through
the runtime to the emupos emulator on loopback: every receipt printed exactly once.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from pathlib import Path

from bench.common import Report, pct
from bench.printing import _InstantPrinter, _sell, _shop
from local_db.database import Database
from vendor_console.devices.printers import add_printer, update_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.receipt_builder import build_receipt
from vendor_console.devices.runtime import DeviceEvent, DeviceRuntime, JobFinished
from vendor_console.permissions import Actor
from vendor_console.receipts import receipt_for_sale
from vendor_console.services.checkout import CheckoutService

WAIT = 60.0


class _Handed(_InstantPrinter):
    """The in-memory printer, and an event set when a job's bytes arrive."""

    arrived = threading.Event()

    async def write(self, data: bytes) -> None:
        await super().write(data)
        if len(data) > 3:
            self.arrived.set()


def run(report: Report, work: Path, *, sales: int, burst: int = 100) -> None:
    print(f"[9b] printing via the device thread: {sales:,} sales; {burst}-receipt burst",
          flush=True)
    db = Database.open(work / "device-runtime.db")
    try:
        checkout, owner, variants = _shop(db)
        handed: list[float] = []
        printer = add_printer(db, PrinterProfile(name="Bench", url="tcp://127.0.0.1:9"))
        runtime = DeviceRuntime(db, transport_factory=lambda url: _Handed(handed),
                                interval=3600)
        runtime.start()
        latencies, builds = [], []
        try:
            for n in range(sales):
                sale_id = _sell(checkout, owner, variants, n)
                _Handed.arrived.clear()
                started = time.perf_counter()
                runtime.print_sale(sale_id).result(WAIT)
                if not _Handed.arrived.wait(WAIT):
                    raise RuntimeError("the receipt never reached the transport")
                latencies.append((handed[-1] - started) * 1000)
                doc = receipt_for_sale(db, sale_id)
                t0 = time.perf_counter()
                build_receipt(doc, printer.profile)
                builds.append((time.perf_counter() - t0) * 1000)
        finally:
            runtime.stop()
        report.add("printing", "sale done -> bytes at the transport via the device thread, "
                   "p50 / p99", f"{pct(latencies, 50):.2f} / {pct(latencies, 99):.2f} ms",
                   f"build only p50 {pct(builds, 50):.2f} / p99 {pct(builds, 99):.2f} ms")
        _burst(report, db, printer.id, checkout=checkout, owner=owner, variants=variants,
               count=burst)
    finally:
        db.close()


def _burst(report: Report, db: Database, printer_id: str, *, checkout: CheckoutService,
           owner: Actor, variants: list[str], count: int) -> None:
    from tests.devices.emupos import DEFAULT_BIN, Emupos

    binary = Path(os.environ.get("EMUPOS_BIN") or DEFAULT_BIN)
    if not binary.is_file():
        report.notes.append("device-thread burst skipped: emupos not installed")
        return
    with tempfile.TemporaryDirectory(prefix="vc-emupos-") as tmp:
        emu = Emupos(binary, Path(tmp))
        finished: list[JobFinished] = []
        all_done = threading.Event()

        def listen(event: DeviceEvent) -> None:
            if isinstance(event, JobFinished) and event.result.outcome == "printed":
                finished.append(event)
                if len(finished) == count:
                    all_done.set()

        update_printer(db, printer_id, PrinterProfile(name="Bench", url=emu.printer_url))
        runtime = DeviceRuntime(db, interval=3600)
        runtime.subscribe(listen)
        runtime.start()
        try:
            numbers = {}
            sale_ids = []
            for n in range(count):
                sale_id = _sell(checkout, owner, variants, n)
                numbers[checkout.get_sale(sale_id).receipt_number] = sale_id
                sale_ids.append(sale_id)
            start = len(emu.events)
            t0 = time.perf_counter()
            for sale_id in sale_ids:
                runtime.print_sale(sale_id)
            ok = all_done.wait(600)
            seconds = time.perf_counter() - t0
            emu.sync()
            completed = [e["data"]["receipt_id"] for e in emu.events[start:]
                         if e["type"] == "printer.job.completed"]
            printed = [m.group(1) for rid in completed
                       for m in [re.search(r"Receipt (\S+)", emu.receipt_text(rid))] if m]
            ok = (ok and sorted(printed) == sorted(numbers) and len(finished) == count
                  and not emu.bad_events(start))
            report.add("printing", f"{count}-receipt burst via the device thread to emupos",
                       f"{len(set(printed))} distinct of {count}, {len(printed)} printed, "
                       f"{count / seconds:.0f} receipts/s", "", "all once, none lost",
                       "PASS" if ok else "FAIL")
        finally:
            runtime.stop()
            emu.stop()
