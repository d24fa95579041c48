"""The printer part of ``vendor-console --self-test``: load the whole printer driver and print
a test page to a dummy device.

The dummy is a minimal ESC/POS peer on a loopback TCP port: it answers ``DLE EOT n`` with
"online, no errors" and ``GS r 1`` with "processed", and keeps what it was sent. That proves in
a frozen build that python-escpos and its capability data, the code-page tables, our receipt
builder, the TCP transport and the status decoder are all there and work — without hardware.
"""

from __future__ import annotations

import asyncio

from vendor_console.devices.printer_link import Outcome, PrinterLink
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.receipt_builder import build_test_page

DLE_EOT = b"\x10\x04"
GS_R_1 = b"\x1dr\x01"
ESC_INIT = b"\x1b@"


class _DummyPrinter:
    def __init__(self) -> None:
        self.received = bytearray()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pending = b""
        try:
            while chunk := await reader.read(4096):
                self.received += chunk
                pending += chunk
                while True:
                    eot, barrier = pending.find(DLE_EOT), pending.find(GS_R_1)
                    hits = [(i, kind) for i, kind in ((eot, "eot"), (barrier, "gsr")) if i >= 0]
                    if not hits:
                        pending = pending[-2:]
                        break
                    at, kind = min(hits)
                    if kind == "eot":
                        if len(pending) < at + 3:
                            break
                        writer.write(b"\x12")  # online, cover closed, no paper or cutter fault
                        pending = pending[at + 3:]
                    else:
                        writer.write(b"\x00")  # GS r 1: paper fine, job processed
                        pending = pending[at + 3:]
                    await writer.drain()
        finally:
            writer.close()


async def _print_to_dummy(width_mm: int) -> tuple[Outcome, bytes]:
    dummy = _DummyPrinter()
    server = await asyncio.start_server(dummy.serve, "127.0.0.1", 0)
    try:
        port = server.sockets[0].getsockname()[1]
        profile = PrinterProfile(name="Self-test dummy", url=f"tcp://127.0.0.1:{port}",
                                 width_mm=width_mm, connect_timeout=5, status_timeout=5,
                                 job_timeout=10, held_timeout=10).validated()
        data = build_test_page(profile)
        result = await PrinterLink(profile).print_job(data)
        return result.outcome, bytes(dummy.received)
    finally:
        server.close()
        await server.wait_closed()


def printer_check() -> list[str]:
    """Print a test page (58 and 80 mm) to the dummy device; raises RuntimeError on failure."""
    lines = []
    for width in (80, 58):
        outcome, received = asyncio.run(_print_to_dummy(width))
        if outcome is not Outcome.PRINTED:
            raise RuntimeError(f"the {width} mm test page to the dummy printer ended {outcome}")
        if not received.count(ESC_INIT) or b"Test print" not in received:
            raise RuntimeError("the dummy printer did not receive a test page")
        lines.append(f"printer driver: {width} mm test page printed to a dummy device "
                     f"({len(received)} bytes, confirmed by GS r 1)")
    return lines
