"""The device thread: one dedicated thread running its own asyncio loop that owns every exchange
with the till's hardware (printers and their queues, status polling, the drawer, the serial
scanner and the customer display).

Why a thread and not the GUI's qasync loop: a printer that stalls (a half-open TCP socket, a
serial link at 9600 baud, a held job waiting for paper) must never cost the counter a frame,
and the print queue's SQLite reads are small but not free. Everything here is Qt-free; the UI
calls the methods below from its thread (each returns a ``concurrent.futures.Future``) and
subscribes to :class:`DeviceEvent`s, which arrive on the device thread (the UI marshals them).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from local_db.database import Database
from vendor_console.devices.device_settings import DeviceSettings
from vendor_console.devices.display import (
    CustomerDisplay,
    DisplayProfile,
    last_item_and_total,
    show,
)
from vendor_console.devices.drawer import open_drawer_for_sale, open_drawer_no_sale
from vendor_console.devices.printer_link import DrawerResult, JobResult, TransportFactory
from vendor_console.devices.printers import PrinterRecord, default_printer, get_printer
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.scanner_serial import SerialScanner
from vendor_console.devices.service import NO_PRINTER, PrintingService
from vendor_console.devices.status import PrinterStatus
from vendor_console.devices.transports import open_transport
from vendor_console.permissions import Actor

log = logging.getLogger(__name__)
T = TypeVar("T")
NO_PRINTER_ON_SCREEN = "No receipt printer is set up: the receipt is on screen."


@dataclass(frozen=True, slots=True)
class PrinterStatusChanged:
    printer_id: str
    status: PrinterStatus
    text: str  # the status bar phrase (with receipts waiting / to check)
    is_default: bool


@dataclass(frozen=True, slots=True)
class JobFinished:
    job_id: str
    sale_id: str | None
    result: JobResult


@dataclass(frozen=True, slots=True)
class Scanned:
    code: str


@dataclass(frozen=True, slots=True)
class DeviceProblem:
    message: str


DeviceEvent = PrinterStatusChanged | JobFinished | Scanned | DeviceProblem
Listener = Callable[[DeviceEvent], None]


@dataclass(frozen=True, slots=True)
class SalePrint:
    """What happened after a sale: the queued job (None: no printer) and the drawer pulse."""

    job_id: str | None
    drawer: DrawerResult | None
    message: str


class DeviceRuntime:
    def __init__(self, db: Database, *, transport_factory: TransportFactory = open_transport,
                 interval: float = 10.0) -> None:
        self._db = db
        self._factory = transport_factory
        self._interval = interval
        self._listeners: list[Listener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.printing: PrintingService | None = None
        self.interrupted = 0  # jobs an earlier crash left mid-send (now "unknown")
        self._scanner_task: asyncio.Task[None] | None = None
        self._display: DisplayProfile | None = None
        self._display_lines: tuple[str, str, str] | None = None
        self._display_task: asyncio.Task[None] | None = None
        self._workers_lock: asyncio.Lock | None = None  # reloads vs. waking a worker

    # -- life cycle (any thread) ---------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """``listener`` runs on the device thread for every event; keep it short."""
        self._listeners.append(listener)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="devices", daemon=True)
        self._thread.start()
        self._ready.wait()

    def stop(self, timeout: float = 15.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def submit(self, job: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``job`` on the device loop; the future completes on the device thread."""
        if self._loop is None:
            job.close()
            raise RuntimeError("the device runtime is not running")
        return asyncio.run_coroutine_threadsafe(job, self._loop)

    # -- what the till asks for (any thread; each returns a Future) ---------------------------

    def print_sale(self, sale_id: str, *, open_drawer: bool = False) -> Future[SalePrint]:
        """Queue the receipt of a completed sale (persisted first), open the drawer for cash,
        and let the printer's worker print it. Never raises for printer trouble."""
        return self.submit(self._print_sale(sale_id, open_drawer))

    def reprint_sale(self, sale_id: str) -> Future[str | None]:
        """Print a sale's receipt again on demand (a new job; the earlier one is its origin)."""
        return self.submit(self._reprint_sale(sale_id))

    def print_document(self, kind: str, build: Callable[[PrinterProfile], bytes],
                       printer: str | None = None) -> Future[str | None]:
        """Queue any other page (test page, code-page test, X or Z report) on a printer."""
        return self.submit(self._print_document(kind, build, printer))

    def resolve_unknown(self, job_id: str, *, printed: bool) -> Future[None]:
        """The cashier's answer for a receipt whose printing was uncertain."""
        return self.submit(self._resolve(job_id, printed))

    def no_sale(self, actor: Actor, approver: Actor | None = None,
                reason: str = "") -> Future[DrawerResult]:
        """Open the drawer without a sale: permission-checked and audited before the pulse."""
        return self.submit(self._no_sale(actor, approver, reason))

    def drawer_test(self, printer: str) -> Future[DrawerResult]:
        return self.submit(self._drawer_test(printer))

    def printer_status(self, printer: str) -> Future[PrinterStatus]:
        return self.submit(self._status(printer))

    def reload_printers(self) -> Future[None]:
        """Printers were added, edited or removed: restart their workers."""
        return self.submit(self._reload())

    def set_scanner(self, port: str, baud: int = 9600) -> Future[None]:
        """Listen to a serial scanner on ``port`` (empty: none)."""
        return self.submit(self._set_scanner(port, baud))

    def set_display(self, profile: DisplayProfile | None) -> Future[None]:
        return self.submit(self._set_display(profile))

    def configure(self, values: DeviceSettings) -> Future[None]:
        """Apply the scanner and display settings (a wrong scanner port fails the future)."""
        return self.submit(self._configure(values))

    def show_on_display(self, item: str, price: str, total: str) -> None:
        """The last item and the total on the pole display (no item: a welcome). Latest wins:
        a burst of scans sends only the last state."""
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._queue_display, (item, price, total))

    # -- the device thread ---------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._begin())
        except Exception:
            log.exception("device runtime failed to start")
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _begin(self) -> None:
        # Small reads and one write (jobs left mid-send become "unknown"); nothing else runs
        # on this loop yet, and the workers must be created on it.
        self.printing = PrintingService(self._db, transport_factory=self._factory,
                                        interval=self._interval)
        self._workers_lock = asyncio.Lock()
        self.interrupted = self._start_service()

    def _start_service(self) -> int:
        assert self.printing is not None
        return self.printing.start(on_result=self._job_done, on_status=self._status_changed)

    async def _shutdown(self) -> None:
        for task in (self._scanner_task, self._display_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.printing is not None:
            await self.printing.stop()

    def _emit(self, event: DeviceEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a listener's bug must not stop the devices
                log.exception("device event listener failed")

    async def _wake(self, printer_id: str) -> None:
        """Wake a printer's worker, never while a reload replaces the workers."""
        assert self._workers_lock is not None
        async with self._workers_lock:
            self._service().wake(printer_id)

    def _service(self) -> PrintingService:
        assert self.printing is not None, "the device runtime is not started"
        return self.printing

    def _job_done(self, job_id: str, result: JobResult) -> None:
        sale_id = self._service().queue.get(job_id).sale_id
        self._emit(JobFinished(job_id, sale_id, result))

    def _status_changed(self, printer_id: str, status: PrinterStatus) -> None:
        printing = self._service()
        default = default_printer(self._db)
        is_default = default is not None and default.id == printer_id
        text = printing.status_text() if is_default else status.summary()
        self._emit(PrinterStatusChanged(printer_id, status, text, is_default))

    async def _printer(self, name: str | None) -> PrinterRecord | None:
        if name:
            return await asyncio.to_thread(get_printer, self._db, name)
        return await asyncio.to_thread(default_printer, self._db)

    async def _print_sale(self, sale_id: str, open_drawer: bool) -> SalePrint:
        printer = await self._printer(None)
        if printer is None:
            return SalePrint(None, None, NO_PRINTER_ON_SCREEN)
        printing = self._service()
        job_id = await asyncio.to_thread(printing.queue.enqueue_receipt, printer, sale_id)
        drawer = None
        if open_drawer:  # real-time pulse: the cashier needs the change now
            drawer = await open_drawer_for_sale(printing.queue.link(printer))
        await self._wake(printer.id)
        message = "Receipt sent to the printer."
        if drawer is not None and not drawer.pulsed:
            message += f" The drawer did not open: {drawer.message}"
        return SalePrint(job_id, drawer, message)

    async def _reprint_sale(self, sale_id: str) -> str | None:
        printer = await self._printer(None)
        if printer is None:
            return None
        printing = self._service()

        def queue() -> str:
            earlier = [j for j in printing.queue.jobs(printer.id) if j.sale_id == sale_id]
            if earlier:
                return printing.queue.reprint(earlier[-1].id)
            return printing.queue.enqueue_receipt(printer, sale_id)

        job_id = await asyncio.to_thread(queue)
        await self._wake(printer.id)
        return job_id

    async def _print_document(self, kind: str, build: Callable[[PrinterProfile], bytes],
                              name: str | None) -> str | None:
        printer = await self._printer(name)
        if printer is None:
            return None
        printing = self._service()
        payload = build(printer.profile)
        job_id = await asyncio.to_thread(printing.queue.enqueue, printer.id, kind, payload)
        await self._wake(printer.id)
        return job_id

    async def _resolve(self, job_id: str, printed: bool) -> None:
        printing = self._service()
        await asyncio.to_thread(printing.queue.resolve_unknown, job_id, printed=printed)
        if not printed:
            await self._wake(printing.queue.get(job_id).printer_id)

    async def _no_sale(self, actor: Actor, approver: Actor | None,
                       reason: str) -> DrawerResult:
        printer = await self._printer(None)
        if printer is None:
            return DrawerResult(False, None, "No printer with a cash drawer is set up "
                                "(Settings › Devices).")
        link = self._service().queue.link(printer)
        return await open_drawer_no_sale(self._db, link, actor, approver=approver,
                                         reason=reason)

    async def _drawer_test(self, name: str) -> DrawerResult:
        printer = await self._printer(name)
        assert printer is not None
        return await open_drawer_for_sale(self._service().queue.link(printer))

    async def _status(self, name: str) -> PrinterStatus:
        printer = await self._printer(name)
        assert printer is not None
        status = await self._service().queue.link(printer).status()
        self._status_changed(printer.id, status)
        return status

    async def _reload(self) -> None:
        printing = self._service()
        assert self._workers_lock is not None
        async with self._workers_lock:
            await printing.stop()
            self._start_service()
        if await self._printer(None) is None:
            self._emit(PrinterStatusChanged("", PrinterStatus(online=False, reachable=False),
                                            NO_PRINTER, True))

    # -- serial scanner ------------------------------------------------------------------------

    async def _set_scanner(self, port: str, baud: int) -> None:
        task, self._scanner_task = self._scanner_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if port.strip():
            scanner = SerialScanner(port.strip(), baud)
            await scanner.open()  # a wrong port is reported to the caller
            self._scanner_task = asyncio.get_running_loop().create_task(self._listen(scanner))

    async def _listen(self, scanner: SerialScanner) -> None:
        try:
            async for code in scanner.scans():
                self._emit(Scanned(code))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # unplugged: tell the cashier, stop listening
            self._emit(DeviceProblem(f"The serial scanner stopped: {exc}"))
        finally:
            await scanner.close()

    async def _configure(self, values: DeviceSettings) -> None:
        await self._set_display(values.display_profile())
        await self._set_scanner(values.scanner_port, values.scanner_baud)

    # -- customer display ----------------------------------------------------------------------

    async def _set_display(self, profile: DisplayProfile | None) -> None:
        if profile is not None:
            show(profile, "", "")  # an unknown command set is refused here
            open_transport(profile.url)  # and a bad address
        self._display = profile

    def _queue_display(self, lines: tuple[str, str, str]) -> None:
        self._display_lines = lines
        if self._display is not None and (self._display_task is None
                                          or self._display_task.done()):
            self._display_task = asyncio.get_running_loop().create_task(self._flush_display())

    async def _flush_display(self) -> None:
        while self._display_lines is not None and self._display is not None:
            (item, price, total), self._display_lines = self._display_lines, None
            profile = self._display
            data = (last_item_and_total(profile, item, price, total) if item
                    else show(profile, "Welcome", ""))
            try:
                await CustomerDisplay(profile).send(data)
            except Exception as exc:  # a display unplugged must not disturb the sale
                self._emit(DeviceProblem(f"The customer display is not answering: {exc}"))


def start_devices(db: Database, values: DeviceSettings, *,
                  before_start: Callable[[DeviceRuntime], None] | None = None,
                  **kwargs: Any) -> DeviceRuntime:
    """Start the device thread and apply the saved scanner and display settings; a scanner
    that cannot be opened is reported as a :class:`DeviceProblem` (the till still starts).
    ``before_start`` gets the runtime first (to subscribe before the first status poll)."""
    runtime = DeviceRuntime(db, **kwargs)
    if before_start is not None:
        before_start(runtime)
    runtime.start()

    def applied(future: Future[None]) -> None:
        exc = future.exception()
        if exc is not None:
            runtime._emit(DeviceProblem(f"The scanner or customer display could not be "
                                        f"opened: {exc}"))

    runtime.configure(values).add_done_callback(applied)
    return runtime
