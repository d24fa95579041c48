"""Persisted print jobs, one queue per printer: a receipt survives the printer being off and the
app restarting; it counts as printed only after the printer confirmed it (``GS r 1``).

Job states: ``pending`` (nothing printed; safe to send), ``sending`` (on the wire right now),
``printed``, ``sent`` (one-way spooler), ``unknown`` (bytes went out, no confirmation: never
sent again automatically, the cashier decides with :meth:`PrintQueue.resolve_unknown`),
``cancelled``. A job found ``sending`` at start-up was interrupted mid-send, so it becomes
``unknown`` too. Reprints are new jobs (``reprint_of`` points at the original).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PIL import Image
from sqlalchemy import func, insert, select, update

from local_db.database import Database
from local_db.tables import print_jobs
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.devices.printer_link import JobResult, Outcome, PrinterLink, TransportFactory
from vendor_console.devices.printers import PrinterRecord, get_printer
from vendor_console.devices.receipt_builder import build_receipt
from vendor_console.devices.transports import open_transport
from vendor_console.errors import NotFound, ValidationError
from vendor_console.ids import new_id
from vendor_console.receipts import receipt_for_sale

FINAL = ("printed", "sent", "cancelled")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PrintJobRecord:
    id: str
    seq: int
    printer_id: str
    kind: str
    sale_id: str | None
    reprint_of: str | None
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    printed_at: datetime | None


class PrintQueue:
    """The print jobs of every printer, and one :class:`PrinterLink` per printer."""

    def __init__(self, db: Database, transport_factory: TransportFactory = open_transport) -> None:
        self._db = db
        self._factory = transport_factory
        self._links: dict[str, PrinterLink] = {}

    def link(self, printer: PrinterRecord) -> PrinterLink:
        link = self._links.get(printer.id)
        if link is None or link.profile != printer.profile:
            link = self._links[printer.id] = PrinterLink(printer.profile, self._factory)
        return link

    # -- adding jobs -------------------------------------------------------------------------

    def enqueue(self, printer_id: str, kind: str, payload: bytes, *, sale_id: str | None = None,
                reprint_of: str | None = None) -> str:
        job_id = new_id()

        def write(tx: Tx) -> None:
            seq = tx.conn.execute(select(func.coalesce(func.max(print_jobs.c.seq), 0))).scalar()
            now = utc_now()
            tx.conn.execute(insert(print_jobs), {
                "id": job_id, "seq": int(seq or 0) + 1, "printer_id": printer_id, "kind": kind,
                "sale_id": sale_id, "reprint_of": reprint_of, "payload": payload,
                "status": "pending", "attempts": 0, "last_error": None, "printed_at": None,
                "created_at": now, "updated_at": now,
            })
            tx.changed("print_job", job_id)

        self._db.write(write)
        return job_id

    def enqueue_receipt(self, printer: PrinterRecord, sale_id: str,
                        logo: Image.Image | None = None) -> str:
        """Build the receipt of ``sale_id`` for ``printer`` and queue it."""
        payload = build_receipt(receipt_for_sale(self._db, sale_id), printer.profile, logo)
        return self.enqueue(printer.id, "receipt", payload, sale_id=sale_id)

    def reprint(self, job_id: str) -> str:
        """Print a job again on demand (a new job with the same bytes)."""
        job = self.get(job_id)
        with self._db.read() as conn:
            payload = conn.execute(
                select(print_jobs.c.payload).where(print_jobs.c.id == job_id)).scalar_one()
        return self.enqueue(job.printer_id, job.kind, payload, sale_id=job.sale_id,
                            reprint_of=job.reprint_of or job.id)

    def resolve_unknown(self, job_id: str, *, printed: bool) -> None:
        """The cashier's answer for a job whose outcome was unknown: it printed (done) or it
        did not (send it again)."""
        job = self.get(job_id)
        if job.status != "unknown":
            raise ValidationError("Only a receipt whose printing is uncertain needs this answer.")
        self._set(job_id, "printed" if printed else "pending",
                  last_error=None if printed else job.last_error, printed=printed)

    def cancel(self, job_id: str) -> None:
        if self.get(job_id).status in FINAL:
            raise ValidationError("That print job is already finished.")
        self._set(job_id, "cancelled")

    def recover_interrupted(self) -> int:
        """At start-up: jobs left ``sending`` by a crash become ``unknown`` (never re-sent)."""
        def write(tx: Tx) -> int:
            result = tx.conn.execute(
                update(print_jobs).where(print_jobs.c.status == "sending")
                .values(status="unknown", updated_at=utc_now(),
                        last_error="The app stopped while this receipt was being sent."))
            tx.changed("print_job")
            return int(result.rowcount or 0)

        return self._db.write(write)

    # -- reading -----------------------------------------------------------------------------

    def get(self, job_id: str) -> PrintJobRecord:
        jobs = self._select(print_jobs.c.id == job_id)
        if not jobs:
            raise NotFound("That print job was not found.")
        return jobs[0]

    def jobs(self, printer_id: str | None = None,
             status: str | None = None) -> list[PrintJobRecord]:
        clauses = []
        if printer_id is not None:
            clauses.append(print_jobs.c.printer_id == printer_id)
        if status is not None:
            clauses.append(print_jobs.c.status == status)
        return self._select(*clauses)

    def _select(self, *clauses: object) -> list[PrintJobRecord]:
        columns = [c for c in print_jobs.c if c.name not in ("payload", "updated_at")]
        with self._db.read() as conn:
            rows = conn.execute(select(*columns).where(*clauses)  # type: ignore[arg-type]
                                .order_by(print_jobs.c.seq)).mappings().all()
        return [PrintJobRecord(**dict(row)) for row in rows]

    # -- printing ----------------------------------------------------------------------------

    async def process(self, printer_id: str) -> list[tuple[str, JobResult]]:
        """Send this printer's pending jobs in order; stop at the first one that could not be
        sent (the printer is off or not ready), so receipts never print out of order."""
        printer = get_printer(self._db, printer_id)
        link = self.link(printer)
        done: list[tuple[str, JobResult]] = []
        while True:
            pending = self._next_pending(printer_id)
            if pending is None:
                return done
            job_id, payload = pending
            await self._db.write_async(functools.partial(_mark_sending, job_id=job_id))
            result = await link.print_job(payload)
            status = {Outcome.PRINTED: "printed", Outcome.SENT: "sent",
                      Outcome.NOT_SENT: "pending", Outcome.UNKNOWN: "unknown"}[result.outcome]
            await self._db.write_async(
                functools.partial(_finish, job_id=job_id, status=status, result=result))
            done.append((job_id, result))
            if result.outcome is Outcome.NOT_SENT:
                return done

    def _next_pending(self, printer_id: str) -> tuple[str, bytes] | None:
        with self._db.read() as conn:
            row = conn.execute(
                select(print_jobs.c.id, print_jobs.c.payload)
                .where(print_jobs.c.printer_id == printer_id, print_jobs.c.status == "pending")
                .order_by(print_jobs.c.seq).limit(1)).first()
        return None if row is None else (str(row.id), bytes(row.payload))

    def _set(self, job_id: str, status: str, *, last_error: str | None = None,
             printed: bool = False) -> None:
        values: dict[str, object] = {"status": status, "updated_at": utc_now(),
                                     "last_error": last_error}
        if printed:
            values["printed_at"] = utc_now()

        def write(tx: Tx) -> None:
            tx.conn.execute(update(print_jobs).where(print_jobs.c.id == job_id).values(values))
            tx.changed("print_job", job_id)

        self._db.write(write)


def _mark_sending(tx: Tx, job_id: str) -> None:
    tx.conn.execute(update(print_jobs).where(print_jobs.c.id == job_id).values(
        status="sending", attempts=print_jobs.c.attempts + 1, updated_at=utc_now()))
    tx.changed("print_job", job_id)


def _finish(tx: Tx, job_id: str, status: str, result: JobResult) -> None:
    now = utc_now()
    tx.conn.execute(update(print_jobs).where(print_jobs.c.id == job_id).values(
        status=status, updated_at=now,
        last_error=None if status in ("printed", "sent") else result.message,
        printed_at=now if status in ("printed", "sent") else None))
    tx.changed("print_job", job_id)


class PrinterWorker:
    """Runs one printer's queue in the background: prints new jobs when woken, retries pending
    jobs and polls the printer's status every ``interval`` seconds while idle."""

    def __init__(self, queue: PrintQueue, printer: PrinterRecord, *, interval: float = 10.0,
                 on_result: Callable[[str, JobResult], None] | None = None,
                 on_status: Callable[[object], None] | None = None) -> None:
        self._queue, self._printer, self._interval = queue, printer, interval
        self._on_result, self._on_status = on_result, on_status
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def wake(self) -> None:
        """A job was queued (or the cashier asked to retry): look at the queue now."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        link = self._queue.link(self._printer)
        while True:
            self._wake.clear()
            try:
                for job_id, result in await self._queue.process(self._printer.id):
                    if self._on_result is not None:
                        self._on_result(job_id, result)
                status = await link.poll_when_idle()
                if status is not None and self._on_status is not None:
                    self._on_status(status)
            except Exception:  # a bug must not stop printing for the rest of the day
                log.exception("print worker for %s failed; retrying", self._printer.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
