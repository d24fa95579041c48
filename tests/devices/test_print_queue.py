"""Persisted print jobs: kept while the printer is off, printed once, never re-sent on doubt."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from sqlalchemy import update

from local_db.database import Database
from local_db.tables import print_jobs
from tests.conftest import ShopFixture
from tests.devices.fakes import PAPER_OUT, FakeTcpPrinter, PrinterBrain
from vendor_console.devices import commands
from vendor_console.devices.print_queue import PrinterWorker, PrintQueue
from vendor_console.devices.printer_link import JobResult, Outcome
from vendor_console.devices.printers import (
    PrinterRecord,
    add_printer,
    default_printer,
    get_printer,
    list_printers,
)
from vendor_console.devices.profile import PrinterProfile
from vendor_console.errors import NotFound, ValidationError
from vendor_console.services.sale_records import SaleRecord


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _printer(db: Database, port: int, name: str = "Front") -> PrinterRecord:
    return add_printer(db, PrinterProfile(name=name, url=f"tcp://127.0.0.1:{port}",
                                          status_timeout=0.5, job_timeout=1.0))


async def _serve_on(port: int, brain: PrinterBrain) -> asyncio.Server:
    printer = FakeTcpPrinter(brain)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await printer._serve(reader, writer)

    return await asyncio.start_server(serve, "127.0.0.1", port)


def test_printers_are_saved_with_their_profile(db: Database) -> None:
    front = _printer(db, 9100)
    back = add_printer(db, PrinterProfile(name="Kitchen", url="usblp:///dev/usb/lp0",
                                          width_mm=58), default=True)
    assert [p.name for p in list_printers(db)] == ["Front", "Kitchen"]
    assert get_printer(db, "front").id == front.id  # by name, any case
    assert get_printer(db, back.id).profile.columns == 32
    assert default_printer(db) == get_printer(db, "Kitchen")
    with pytest.raises(ValidationError, match="already a printer called"):
        _printer(db, 9101, "FRONT")
    with pytest.raises(ValidationError):
        add_printer(db, PrinterProfile(name="Bad", url="lpt1"))
    with pytest.raises(NotFound, match="no printer called"):
        get_printer(db, "Bar")


def test_receipt_survives_the_printer_being_off_and_prints_once_it_is_back(
        shop: ShopFixture, sale: SaleRecord) -> None:
    port = _free_port()
    printer = _printer(shop.db, port)
    queue = PrintQueue(shop.db)
    job_id = queue.enqueue_receipt(printer, sale.id)

    async def scenario() -> bytes:
        off = await queue.process(printer.id)  # nothing listens: refused
        assert [r.outcome for _, r in off] == [Outcome.NOT_SENT]
        assert queue.get(job_id).status == "pending"
        assert "Cannot reach the printer" in (queue.get(job_id).last_error or "")
        brain = PrinterBrain()
        server = await _serve_on(port, brain)
        try:
            on = await queue.process(printer.id)
        finally:
            server.close()
            await server.wait_closed()
        assert [(j, r.outcome) for j, r in on] == [(job_id, Outcome.PRINTED)]
        return bytes(brain.received)

    received = asyncio.run(scenario())
    job = queue.get(job_id)
    assert (job.status, job.attempts, job.sale_id) == ("printed", 2, sale.id)
    assert job.printed_at is not None and job.last_error is None
    assert received.count(commands.INIT) == 1  # printed once
    assert f"Receipt {sale.receipt_number}".encode() in received
    assert "Crème brûlée".encode("cp858") in received


def test_queue_keeps_order_and_stops_at_a_printer_that_is_not_ready(db: Database) -> None:
    port = _free_port()
    printer = _printer(db, port)
    queue = PrintQueue(db)
    first = queue.enqueue(printer.id, "test", commands.INIT + b"first\n")
    second = queue.enqueue(printer.id, "test", commands.INIT + b"second\n")

    async def scenario() -> bytes:
        brain = PrinterBrain(eot=dict(PAPER_OUT))
        server = await _serve_on(port, brain)
        try:
            stuck = await queue.process(printer.id)
            assert [(j, r.outcome) for j, r in stuck] == [(first, Outcome.NOT_SENT)]
            assert "out of paper" in (queue.get(first).last_error or "")
            brain.eot = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}  # paper reloaded
            done = await queue.process(printer.id)
        finally:
            server.close()
            await server.wait_closed()
        assert [j for j, _ in done] == [first, second]
        return bytes(brain.received)

    received = asyncio.run(scenario())
    assert received.index(b"first") < received.index(b"second")
    assert [j.status for j in queue.jobs(printer.id)] == ["printed", "printed"]


def test_unknown_outcome_is_never_reprinted_automatically(db: Database) -> None:
    port = _free_port()
    printer = _printer(db, port)
    queue = PrintQueue(db)
    job_id = queue.enqueue(printer.id, "test", commands.INIT + b"maybe\n")

    async def run(brain: PrinterBrain) -> list[tuple[str, JobResult]]:
        server = await _serve_on(port, brain)
        try:
            return await queue.process(printer.id)
        finally:
            server.close()
            await server.wait_closed()

    silent_after_job = PrinterBrain(mode="no_barrier")
    assert [r.outcome for _, r in asyncio.run(run(silent_after_job))] == [Outcome.UNKNOWN]
    assert queue.get(job_id).status == "unknown"
    healthy = PrinterBrain()
    assert asyncio.run(run(healthy)) == []  # the queue does not touch it again
    assert b"maybe" not in healthy.received
    queue.resolve_unknown(job_id, printed=False)  # the cashier: "it did not print"
    assert [r.outcome for _, r in asyncio.run(run(healthy))] == [Outcome.PRINTED]
    assert healthy.received.count(b"maybe") == 1
    with pytest.raises(ValidationError):
        queue.resolve_unknown(job_id, printed=True)


def test_cashier_can_confirm_an_unknown_job_printed(db: Database) -> None:
    printer = _printer(db, _free_port())
    queue = PrintQueue(db)
    job_id = queue.enqueue(printer.id, "test", b"x")
    db.write(lambda tx: tx.conn.execute(update(print_jobs).values(status="sending")))
    assert queue.recover_interrupted() == 1  # the app stopped mid-send
    assert queue.get(job_id).status == "unknown"
    queue.resolve_unknown(job_id, printed=True)
    job = queue.get(job_id)
    assert job.status == "printed" and job.printed_at is not None


def test_reprint_on_demand_is_a_new_job_with_the_same_bytes(db: Database) -> None:
    port = _free_port()
    printer = _printer(db, port)
    queue = PrintQueue(db)
    original = queue.enqueue(printer.id, "test", commands.INIT + b"copy me\n")
    brain = PrinterBrain()

    async def scenario() -> None:
        server = await _serve_on(port, brain)
        try:
            await queue.process(printer.id)
            again = queue.reprint(original)
            await queue.process(printer.id)
        finally:
            server.close()
            await server.wait_closed()
        assert queue.get(again).reprint_of == original

    asyncio.run(scenario())
    assert brain.received.count(b"copy me") == 2
    assert [j.status for j in queue.jobs(printer.id)] == ["printed", "printed"]


def test_cancelled_job_is_not_printed(db: Database) -> None:
    port = _free_port()
    printer = _printer(db, port)
    queue = PrintQueue(db)
    job_id = queue.enqueue(printer.id, "test", b"never\n")
    queue.cancel(job_id)
    brain = PrinterBrain()

    async def scenario() -> None:
        server = await _serve_on(port, brain)
        try:
            assert await queue.process(printer.id) == []
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())
    assert b"never" not in brain.received
    with pytest.raises(ValidationError):
        queue.cancel(job_id)


def test_worker_prints_a_queued_job_when_woken_and_reports_status(db: Database) -> None:
    port = _free_port()
    printer = _printer(db, port)
    queue = PrintQueue(db)

    async def scenario() -> None:
        server = await _serve_on(port, PrinterBrain())
        loop = asyncio.get_running_loop()
        printed: asyncio.Future[tuple[str, JobResult]] = loop.create_future()
        statuses: asyncio.Queue[object] = asyncio.Queue()

        def on_result(job_id: str, result: JobResult) -> None:
            if not printed.done():
                printed.set_result((job_id, result))

        worker = PrinterWorker(queue, printer, interval=60, on_result=on_result,
                               on_status=statuses.put_nowait)
        worker.start()
        try:
            first_status = await statuses.get()  # idle poll after the (empty) queue
            assert getattr(first_status, "ready", False)
            job_id = queue.enqueue(printer.id, "test", b"woken\n")
            worker.wake()
            done_id, result = await printed
            assert (done_id, result.outcome) == (job_id, Outcome.PRINTED)
        finally:
            await worker.stop()
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())


def test_silent_printer_leaves_the_job_pending_not_lost(db: Database) -> None:
    port = _free_port()
    printer = _printer(db, port)
    queue = PrintQueue(db)
    job_id = queue.enqueue(printer.id, "test", commands.INIT + b"later\n")
    brain = PrinterBrain(mode="silent")  # accepts the connection, never answers

    async def scenario() -> None:
        server = await _serve_on(port, brain)
        try:
            result = await queue.process(printer.id)
        finally:
            server.close()
            await server.wait_closed()
        assert [r.outcome for _, r in result] == [Outcome.NOT_SENT]

    asyncio.run(scenario())
    job = queue.get(job_id)
    assert job.status == "pending" and "not answering" in (job.last_error or "")
    assert b"later" not in brain.received


def test_a_queued_receipt_survives_the_app_restarting(db_path: Path) -> None:
    port = _free_port()
    first_run = Database.open(db_path)
    try:
        printer = _printer(first_run, port)
        job_id = PrintQueue(first_run).enqueue(printer.id, "test", commands.INIT + b"kept\n")
    finally:
        first_run.close()
    brain = PrinterBrain()
    second_run = Database.open(db_path)
    try:
        queue = PrintQueue(second_run)
        assert queue.recover_interrupted() == 0

        async def scenario() -> None:
            server = await _serve_on(port, brain)
            try:
                await queue.process(printer.id)
            finally:
                server.close()
                await server.wait_closed()

        asyncio.run(scenario())
        assert queue.get(job_id).status == "printed"
    finally:
        second_run.close()
    assert brain.received.count(b"kept") == 1
