"""Jobs, status and drawer pulses over our transports, against scripted printers on loopback
TCP and on a pty (serial and /dev/usb/lp-style device files)."""

from __future__ import annotations

import asyncio
import socket
import sys

import pytest

from tests.devices.fakes import PAPER_OUT, FakeTcpPrinter, PrinterBrain, PtyPrinter
from vendor_console.devices import commands
from vendor_console.devices.errors import PrinterUnreachable
from vendor_console.devices.printer_link import Outcome, PrinterLink
from vendor_console.devices.profile import DrawerSettings, PrinterProfile
from vendor_console.devices.transports import (
    FileDescriptorTransport,
    SerialTransport,
    TcpTransport,
    open_transport,
)
from vendor_console.devices.winspool import WinspoolTransport

JOB = commands.INIT + b"hello\n" + commands.cut()


def _profile(url: str, **kw: object) -> PrinterProfile:
    values: dict[str, object] = {"url": url, "status_timeout": 0.5, "job_timeout": 1.0,
                                 "connect_timeout": 2.0}
    values.update(kw)
    return PrinterProfile(**values)  # type: ignore[arg-type]


def _refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"  # nothing listens there any more


def test_job_is_printed_only_after_the_gs_r_reply() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter() as printer:
            result = await PrinterLink(_profile(printer.url)).print_job(JOB)
            assert result.outcome is Outcome.PRINTED
            sent = bytes(printer.brain.received)
            # status first, then the job, then the GS r 1 barrier
            assert sent == b"".join(commands.status_request(n) for n in (1, 2, 3, 4)) + JOB \
                + commands.PROCESSED_BARRIER

    asyncio.run(scenario())


def test_refused_connection_sends_nothing_and_says_so() -> None:
    result = asyncio.run(PrinterLink(_profile(_refused_url())).print_job(JOB))
    assert result.outcome is Outcome.NOT_SENT
    assert "Cannot reach the printer" in result.message
    assert result.status is not None and not result.status.reachable


def test_silent_printer_gets_no_job() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter(PrinterBrain(mode="silent")) as printer:
            result = await PrinterLink(_profile(printer.url)).print_job(JOB)
            assert result.outcome is Outcome.NOT_SENT
            assert "not answering" in result.message
            assert JOB not in printer.brain.received  # only the first status request went out

    asyncio.run(scenario())


def test_no_confirmation_after_the_job_means_unknown_not_printed() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter(PrinterBrain(mode="no_barrier")) as printer:
            result = await PrinterLink(_profile(printer.url)).print_job(JOB)
            assert result.outcome is Outcome.UNKNOWN
            assert "may or may not have printed" in result.message

    asyncio.run(scenario())


def test_connection_dropped_after_the_job_means_unknown() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter(PrinterBrain(mode="drop_after_job")) as printer:
            result = await PrinterLink(_profile(printer.url)).print_job(JOB)
            assert result.outcome is Outcome.UNKNOWN

    asyncio.run(scenario())


def test_printer_out_of_paper_keeps_the_job() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter(PrinterBrain(eot=dict(PAPER_OUT))) as printer:
            result = await PrinterLink(_profile(printer.url)).print_job(JOB)
            assert result.outcome is Outcome.NOT_SENT
            assert "out of paper" in result.message
            assert JOB not in printer.brain.received

    asyncio.run(scenario())


def test_idle_poll_never_interleaves_with_a_job() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter() as printer:
            link = PrinterLink(_profile(printer.url))
            job = asyncio.create_task(link.print_job(JOB))
            await asyncio.sleep(0)  # let the job take the printer
            assert link.busy
            assert await link.poll_when_idle() is None  # steps aside
            status_during = asyncio.create_task(link.status())  # an explicit query waits
            assert (await job).outcome is Outcome.PRINTED
            assert (await status_during).ready
            sent = bytes(printer.brain.received)
            job_at = sent.index(JOB)
            assert sent[job_at:job_at + len(JOB) + 3] == JOB + commands.PROCESSED_BARRIER

    asyncio.run(scenario())


def test_status_of_an_unreachable_printer() -> None:
    status = asyncio.run(PrinterLink(_profile(_refused_url())).status())
    assert not status.reachable and "Cannot reach" in status.detail


def test_real_time_drawer_pulse_and_sensor_read_back() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter() as printer:
            link = PrinterLink(_profile(printer.url, drawer=DrawerSettings(pin=5)))
            result = await link.kick_drawer()
            assert result.pulsed and result.drawer_open is True
            assert printer.brain.received.startswith(bytes.fromhex("10 14 01 01 01"))

    asyncio.run(scenario())


def test_drawer_with_inverted_sensor_polarity_reports_closed() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter() as printer:
            drawer = DrawerSettings(open_when_high=False)
            result = await PrinterLink(_profile(printer.url, drawer=drawer)).kick_drawer()
            assert result.pulsed and result.drawer_open is False
            assert "did not open" in result.message

    asyncio.run(scenario())


def test_buffered_esc_p_drawer_pulse_during_paper_out_says_why() -> None:
    async def scenario() -> None:
        async with FakeTcpPrinter(PrinterBrain(eot=dict(PAPER_OUT))) as printer:
            drawer = DrawerSettings(method="esc_p", pin=2)
            result = await PrinterLink(_profile(printer.url, drawer=drawer)).kick_drawer()
            assert printer.brain.received.startswith(bytes.fromhex("1b 70 00 32 fa"))
            assert result.drawer_open is False and "out of paper" in result.message

    asyncio.run(scenario())


@pytest.mark.skipif(sys.platform == "win32", reason="ptys are POSIX")
def test_serial_printer_through_a_pty_8n1() -> None:
    with PtyPrinter() as printer:
        result = asyncio.run(PrinterLink(_profile(f"serial://{printer.path}?baud=9600"))
                             .print_job(JOB))
        assert result.outcome is Outcome.PRINTED
        assert JOB + commands.PROCESSED_BARRIER in printer.brain.received


@pytest.mark.skipif(sys.platform == "win32", reason="ptys are POSIX")
def test_usb_printer_device_file_is_bidirectional() -> None:
    with PtyPrinter() as printer:  # stands in for /dev/usb/lp0: a device file we read and write
        link = PrinterLink(_profile(f"usblp://{printer.path}"))
        assert asyncio.run(link.status()).ready
        assert asyncio.run(link.print_job(JOB)).outcome is Outcome.PRINTED


def test_missing_device_file_is_unreachable() -> None:
    result = asyncio.run(PrinterLink(_profile("usblp:///dev/usb/lp-missing")).print_job(JOB))
    assert result.outcome is Outcome.NOT_SENT and "/dev/usb/lp-missing" in result.message


def test_printer_urls() -> None:
    tcp = open_transport("tcp://192.0.2.10")
    assert isinstance(tcp, TcpTransport) and (tcp.host, tcp.port) == ("192.0.2.10", 9100)
    serial_port = open_transport("serial:///dev/ttyUSB0?baud=19200&flow=rtscts")
    assert isinstance(serial_port, SerialTransport)
    assert (serial_port.port, serial_port.baud, serial_port.rtscts) == ("/dev/ttyUSB0", 19200, True)
    assert isinstance(open_transport("serial://COM3"), SerialTransport)
    assert isinstance(open_transport("usblp:///dev/usb/lp0"), FileDescriptorTransport)
    spool = open_transport("winspool://EPSON TM-T20III Receipt")
    assert isinstance(spool, WinspoolTransport) and spool.printer_name == "EPSON TM-T20III Receipt"
    with pytest.raises(ValueError, match="tcp://"):
        open_transport("http://printer")


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows refusal")
def test_windows_spooler_refuses_clearly_elsewhere() -> None:
    result = asyncio.run(PrinterLink(_profile("winspool://Receipt")).print_job(JOB))
    assert result.outcome is Outcome.NOT_SENT and "only be used on Windows" in result.message
    with pytest.raises(PrinterUnreachable):
        asyncio.run(WinspoolTransport("Receipt").open(1.0))
