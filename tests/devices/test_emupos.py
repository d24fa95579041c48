"""Our bytes and transports against the independent emupos emulator: what it rendered (text and
PNG, decoded with zxing-cpp), its status under faults, and the drawer. The ``emupos`` fixture
fails any test during which emupos reported an unknown command or unsupported code page."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw

from tests.conftest import ShopFixture
from tests.devices.emupos import Emupos
from tests.devices.samples import sample_receipt
from vendor_console.devices.print_queue import PrintQueue
from vendor_console.devices.printer_link import Outcome, PrinterLink
from vendor_console.devices.printers import add_printer
from vendor_console.devices.profile import DrawerSettings, PrinterProfile
from vendor_console.devices.receipt_builder import (
    build_code_page_test,
    build_receipt,
    build_test_page,
)
from vendor_console.devices.status import PrinterStatus
from vendor_console.devices.transports import Transport, open_transport
from vendor_console.receipts import ReceiptLine
from vendor_console.services.sale_records import SaleRecord


def _profile(emu: Emupos, **kw: object) -> PrinterProfile:
    values: dict[str, object] = {"name": "Front", "url": emu.printer_url, "status_timeout": 5,
                                 "job_timeout": 20}
    values.update(kw)
    return PrinterProfile(**values)  # type: ignore[arg-type]


def _print(emu: Emupos, job: bytes, profile: PrinterProfile | None = None) -> str:
    """Print ``job`` through our transport; returns the emulator's receipt id."""
    start = len(emu.events)
    result = asyncio.run(PrinterLink(profile or _profile(emu)).print_job(job))
    assert result.outcome is Outcome.PRINTED, result.message
    return str(emu.wait_event("printer.job.completed", start)["data"]["receipt_id"])


def _codes(png: bytes) -> set[tuple[str, str]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    return {(str(r.format).replace("-", "").replace(" ", ""), r.text)
            for r in zxingcpp.read_barcodes(image)}


def test_receipt_prints_accents_currency_and_totals(emupos: Emupos) -> None:
    doc = sample_receipt(lines=(
        *sample_receipt().lines, ReceiptLine("Ça va? Œufs Ñandú", "1", 0, 0, 0,
                                             show_quantity=False)))
    receipt_id = _print(emupos, build_receipt(doc, _profile(emupos)))
    text = emupos.receipt_text(receipt_id)
    for expected in ("Café Zoë", "12 Rue de l'Église", "Crème brûlée", "4,50 €",
                     "Smørrebrød £ special", "-0,20 €", "TOTAL", "7,50 €", "10,00 €", "2,50 €",
                     "Ñandú", "Thank you!"):
        assert expected in text, (expected, text)
    total = next(line for line in text.splitlines() if line.startswith("TOTAL"))
    assert total.split() == ["TOTAL", "7,50", "€"]
    assert ("QRCode", "A-000123") in _codes(emupos.receipt_png(receipt_id))


def test_pound_receipt_and_code128_receipt_number(emupos: Emupos) -> None:
    doc = sample_receipt(currency="GBP", locale="en_GB", timezone="Europe/London")
    receipt_id = _print(emupos, build_receipt(doc, _profile(emupos, barcode="code128")))
    text = emupos.receipt_text(receipt_id)
    assert "£7.50" in text and "£10.00" in text and "22/11/2026, 10:05" in text
    assert ("Code128", "A-000123") in _codes(emupos.receipt_png(receipt_id))


def test_a_completed_sale_printed_through_the_queue(
        emupos: Emupos, shop: ShopFixture, sale: SaleRecord) -> None:
    printer = add_printer(shop.db, _profile(emupos))
    queue = PrintQueue(shop.db)
    job_id = queue.enqueue_receipt(printer, sale.id)
    start = len(emupos.events)
    assert [r.outcome for _, r in asyncio.run(queue.process(printer.id))] == [Outcome.PRINTED]
    assert queue.get(job_id).status == "printed"
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    text = emupos.receipt_text(receipt_id)
    assert f"Receipt {sale.receipt_number}" in text and "Served by Cal" in text
    assert "€12.00" in text and "Change" in text and "€8.00" in text
    assert ("QRCode", sale.receipt_number) in _codes(emupos.receipt_png(receipt_id))


def test_test_page_and_code_page_test_print_cleanly(emupos: Emupos) -> None:
    text = emupos.receipt_text(_print(emupos, build_test_page(_profile(emupos))))
    assert "Crème brûlée, Smørrebrød" in text and "€ 1,50   £ 2.30" in text
    code_pages = emupos.receipt_text(_print(emupos, build_code_page_test(_profile(emupos))))
    assert "ESC t 19 (CP858)" in code_pages  # and no unsupported code page (fixture)


def test_status_under_each_fault(emupos: Emupos) -> None:
    link = PrinterLink(_profile(emupos))
    assert asyncio.run(link.status()).ready
    emupos.fault("paper-near-end", active=True)
    near = asyncio.run(link.status())
    assert near.ready and near.paper_near_end
    emupos.fault("paper-near-end", active=False)
    emupos.fault("paper-out", active=True)
    out = asyncio.run(link.status())
    assert out.paper_out and not out.online and out.summary() == "Printer: out of paper"
    emupos.fault("paper-out", active=False)
    emupos.fault("cover-open", active=True)
    cover = asyncio.run(link.status())
    assert cover.cover_open and not cover.ready and cover.summary() == "Printer: cover open"
    emupos.fault("cover-open", active=False)
    emupos.fault("offline", active=True)
    offline = asyncio.run(link.status())
    assert not offline.online and not offline.ready
    emupos.fault("offline", active=False)
    assert asyncio.run(link.status()).ready


def test_paper_out_keeps_the_receipt_until_paper_is_back(
        emupos: Emupos, shop: ShopFixture, sale: SaleRecord) -> None:
    printer = add_printer(shop.db, _profile(emupos))
    queue = PrintQueue(shop.db)
    job_id = queue.enqueue_receipt(printer, sale.id)
    emupos.fault("paper-out", active=True)
    held = asyncio.run(queue.process(printer.id))
    assert [r.outcome for _, r in held] == [Outcome.NOT_SENT]
    assert queue.get(job_id).status == "pending"
    assert "out of paper" in (queue.get(job_id).last_error or "")
    emupos.fault("paper-out", active=False)
    start = len(emupos.events)
    assert [r.outcome for _, r in asyncio.run(queue.process(printer.id))] == [Outcome.PRINTED]
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    assert f"Receipt {sale.receipt_number}" in emupos.receipt_text(receipt_id)


def test_real_time_drawer_pulse_opens_the_drawer_during_paper_out(emupos: Emupos) -> None:
    emupos.fault("paper-out", active=True)
    result = asyncio.run(PrinterLink(_profile(emupos)).kick_drawer())
    assert result.pulsed and result.drawer_open is True
    assert emupos.drawer_state() == "open"


def test_buffered_esc_p_pulse_waits_for_paper(emupos: Emupos) -> None:
    emupos.fault("paper-out", active=True)
    profile = _profile(emupos, drawer=DrawerSettings(method="esc_p"))
    result = asyncio.run(PrinterLink(profile).kick_drawer())
    assert result.drawer_open is False and "out of paper" in result.message
    assert emupos.drawer_state() == "closed"


def test_drawer_state_is_read_back_through_the_polarity_setting(emupos: Emupos) -> None:
    # emupos's TM-T20III drawer drives pin 3 high while open; a printer set up the other way
    # round reads the same open drawer as closed (why polarity is a setting).
    right = asyncio.run(PrinterLink(_profile(emupos)).kick_drawer())
    assert right.drawer_open is True
    inverted = _profile(emupos, drawer=DrawerSettings(open_when_high=False))
    assert asyncio.run(PrinterLink(inverted).status()).drawer_open(False) is False


def test_serial_printer_on_the_emulators_pty(emupos: Emupos) -> None:
    profile = _profile(emupos, url=f"serial://{emupos.serial_path}?baud=9600")
    text = emupos.receipt_text(_print(emupos, build_test_page(profile), profile))
    assert "Test print" in text and "Smørrebrød" in text


def test_58mm_profile_fits_on_the_page(emupos: Emupos) -> None:
    profile = replace(_profile(emupos), width_mm=58)
    text = emupos.receipt_text(_print(emupos, build_receipt(sample_receipt(), profile)))
    total = next(line for line in text.splitlines() if line.startswith("TOTAL"))
    assert len(total.rstrip()) == 32


class _PaperRunsOutMidJob:
    """Our TCP transport, but the emulator runs out of paper just as the job goes out."""

    def __init__(self, inner: Transport, emu: Emupos) -> None:
        self._inner, self._emu = inner, emu
        self.description, self.bidirectional = inner.description, inner.bidirectional

    async def open(self, timeout: float) -> None:
        await self._inner.open(timeout)

    async def write(self, data: bytes) -> None:
        if len(data) > 3:  # the job, after the status check passed
            self._emu.fault("paper-out", active=True)
        await self._inner.write(data)

    async def read(self, n: int, timeout: float) -> bytes:
        return await self._inner.read(n, timeout)

    async def close(self) -> None:
        await self._inner.close()


def test_paper_running_out_mid_receipt_waits_then_finishes(emupos: Emupos) -> None:
    seen: list[PrinterStatus] = []

    def reload_paper(status: PrinterStatus) -> None:
        seen.append(status)
        if status.paper_out:  # the till shows "out of paper"; the cashier reloads it
            emupos.fault("paper-out", active=False)

    profile = _profile(emupos, job_timeout=0.5)
    link = PrinterLink(profile, lambda url: _PaperRunsOutMidJob(open_transport(url), emupos))
    link.on_status = reload_paper
    start = len(emupos.events)
    result = asyncio.run(link.print_job(build_receipt(sample_receipt(), profile)))
    assert result.outcome is Outcome.PRINTED
    assert any(s.paper_out and "middle of a receipt" in s.detail for s in seen)
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    assert "TOTAL" in emupos.receipt_text(receipt_id)


def test_logo_prints_pixel_exact(emupos: Emupos) -> None:
    logo = Image.new("1", (200, 60), 1)
    draw = ImageDraw.Draw(logo)
    draw.rectangle([2, 2, 197, 57], outline=0, width=3)
    draw.line([10, 50, 190, 10], fill=0, width=2)
    receipt_id = _print(emupos, build_receipt(sample_receipt(), _profile(emupos), logo))
    page = np.array(Image.open(io.BytesIO(emupos.receipt_png(receipt_id))).convert("L")) < 128
    want = np.array(logo.convert("L")) < 128
    h, w = want.shape
    hits = [(y, x) for y in range(page.shape[0] - h + 1) for x in range(page.shape[1] - w + 1)
            if page[y, x] == want[0, 0] and page[y + 2, x + 2] and page[y + 2, x + w - 3]
            and np.array_equal(page[y:y + h, x:x + w], want)]
    assert hits, "logo not found pixel-exact in the rendered receipt"
    assert "Café Zoë" in emupos.receipt_text(receipt_id)
