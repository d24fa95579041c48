"""The printing service the app holds: receipts queued on the default printer, printed in the
background, and a status-bar phrase."""

from __future__ import annotations

import asyncio

from tests.conftest import ShopFixture
from tests.devices.fakes import FakeTcpPrinter
from vendor_console.devices.printer_link import JobResult, Outcome
from vendor_console.devices.printers import add_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.service import NO_PRINTER, PrintingService
from vendor_console.devices.status import PrinterStatus
from vendor_console.services.sale_records import SaleRecord


def test_without_a_printer_the_receipt_stays_on_screen(shop: ShopFixture,
                                                       sale: SaleRecord) -> None:
    service = PrintingService(shop.db)
    assert service.queue_receipt(sale.id) is None
    assert service.status_text() == NO_PRINTER


def test_receipt_printed_in_the_background_and_status_reported(
        shop: ShopFixture, sale: SaleRecord) -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter() as fake:
            add_printer(shop.db, PrinterProfile(name="Front", url=fake.url, status_timeout=1))
            service = PrintingService(shop.db, interval=60)
            loop = asyncio.get_running_loop()
            ready: asyncio.Future[PrinterStatus] = loop.create_future()
            printed: asyncio.Future[tuple[str, JobResult]] = loop.create_future()

            def on_status(_printer_id: str, status: PrinterStatus) -> None:
                if not ready.done():
                    ready.set_result(status)

            def on_result(job_id: str, result: JobResult) -> None:
                if not printed.done():
                    printed.set_result((job_id, result))

            assert service.start(on_result=on_result, on_status=on_status) == 0
            try:
                assert (await ready).ready
                assert service.status_text() == "Printer ready"
                job_id = service.queue_receipt(sale.id)
                assert job_id is not None
                done_id, result = await printed
                assert (done_id, result.outcome) == (job_id, Outcome.PRINTED)
                assert service.queue.get(job_id).status == "printed"
                assert f"Receipt {sale.receipt_number}".encode() in fake.brain.received
            finally:
                await service.stop()

    asyncio.run(scenario())


def test_waiting_receipts_show_in_the_status(shop: ShopFixture, sale: SaleRecord) -> None:
    add_printer(shop.db, PrinterProfile(name="Front", url="tcp://127.0.0.1:9"))
    service = PrintingService(shop.db)
    service.queue_receipt(sale.id)
    assert service.status_text() == "Printer: checking… · 1 receipt waiting"
