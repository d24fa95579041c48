"""The one object the app holds for printing: queue receipts, run the printers' workers, and
say how the printer is doing (for the status bar). Qt-free: the GUI starts it on its asyncio
loop (qasync) and passes callbacks that marshal results to widgets."""

from __future__ import annotations

from collections.abc import Callable

from local_db.database import Database
from vendor_console.devices.print_queue import PrinterWorker, PrintQueue
from vendor_console.devices.printer_link import JobResult, TransportFactory
from vendor_console.devices.printers import default_printer, get_printer, list_printers
from vendor_console.devices.status import PrinterStatus
from vendor_console.devices.transports import open_transport

NO_PRINTER = "No printer configured"


class PrintingService:
    def __init__(self, db: Database, *, transport_factory: TransportFactory = open_transport,
                 interval: float = 10.0) -> None:
        self._db = db
        self.queue = PrintQueue(db, transport_factory)
        self._interval = interval
        self._workers: dict[str, PrinterWorker] = {}
        self._statuses: dict[str, PrinterStatus] = {}
        self._on_result: Callable[[str, JobResult], None] | None = None
        self._on_status: Callable[[str, PrinterStatus], None] | None = None

    def start(self, *, on_result: Callable[[str, JobResult], None] | None = None,
              on_status: Callable[[str, PrinterStatus], None] | None = None) -> int:
        """Start one worker per printer on the running loop; returns how many jobs an earlier
        crash left mid-send (now "unknown": the cashier decides whether to reprint them)."""
        self._on_result, self._on_status = on_result, on_status
        interrupted = self.queue.recover_interrupted()
        for printer in list_printers(self._db):
            self._worker(printer.id)
        return interrupted

    def _worker(self, printer_id: str) -> PrinterWorker:
        worker = self._workers.get(printer_id)
        if worker is None:
            printer = get_printer(self._db, printer_id)

            def status(value: object, pid: str = printer_id) -> None:
                if isinstance(value, PrinterStatus):
                    self._statuses[pid] = value
                    if self._on_status is not None:
                        self._on_status(pid, value)

            worker = PrinterWorker(self.queue, printer, interval=self._interval,
                                   on_result=self._on_result, on_status=status)
            worker.start()
            self._workers[printer_id] = worker
        return worker

    async def stop(self) -> None:
        for worker in self._workers.values():
            await worker.stop()
        self._workers.clear()

    def queue_receipt(self, sale_id: str, printer_name: str | None = None) -> str | None:
        """Put the receipt of ``sale_id`` on a printer's queue (the default one unless named);
        None when no printer is set up. Printing happens in the background when started."""
        printer = get_printer(self._db, printer_name) if printer_name else default_printer(
            self._db)
        if printer is None:
            return None
        job_id = self.queue.enqueue_receipt(printer, sale_id)
        if self._workers:
            self._worker(printer.id).wake()
        return job_id

    def wake(self, printer_id: str) -> None:
        """A job was queued for ``printer_id``: its worker (started if need be, on the running
        loop) looks at the queue now."""
        self._worker(printer_id).wake()

    def status_text(self) -> str:
        """One phrase for the status bar about the default printer."""
        printer = default_printer(self._db)
        if printer is None:
            return NO_PRINTER
        status = self._statuses.get(printer.id)
        waiting = len(self.queue.jobs(printer.id, "pending"))
        unknown = len(self.queue.jobs(printer.id, "unknown"))
        text = "Printer: checking…" if status is None else status.summary()
        if waiting:
            text += f" · {waiting} receipt{'s' if waiting > 1 else ''} waiting"
        if unknown:
            text += f" · {unknown} to check"
        return text
