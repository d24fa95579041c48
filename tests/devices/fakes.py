"""A scripted ESC/POS printer for transport and queue tests (loopback TCP or a pty).

It answers DLE EOT n from ``eot`` and GS r 1 with 0x00, opens its drawer on DLE DC4 / ESC p
and records every byte. Modes reproduce what real printers do when things go wrong:
``silent`` accepts and never answers; ``no_barrier`` answers status but never GS r (the job's
outcome is unknown); ``drop_after_job`` closes the connection once a job arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import threading
import tty
from dataclasses import dataclass, field

IDLE = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}


@dataclass
class PrinterBrain:
    mode: str = "normal"
    eot: dict[int, int] = field(default_factory=lambda: dict(IDLE))
    drawer_open: bool = False
    received: bytearray = field(default_factory=bytearray)
    _pending: bytes = b""

    def feed(self, data: bytes) -> tuple[bytes, bool]:
        """Bytes in -> (reply bytes, close the connection?)."""
        self.received += data
        buf, reply, close = self._pending + data, bytearray(), False
        i = 0
        while i < len(buf):
            if buf[i:i + 2] == b"\x10\x04":
                if len(buf) < i + 3:
                    break
                n = buf[i + 2]
                if self.mode != "silent":
                    value = self.eot[n] | (0x04 if n == 1 and self.drawer_open else 0)
                    reply.append(value)
                i += 3
            elif buf[i:i + 3] == b"\x1dr\x01":
                if self.mode == "drop_after_job":
                    close = True
                elif self.mode == "normal":
                    reply.append(0x00)
                i += 3
            elif buf[i:i + 3] == b"\x10\x14\x01":
                if len(buf) < i + 5:
                    break
                self.drawer_open = True
                i += 5
            elif buf[i:i + 2] == b"\x1bp":
                if len(buf) < i + 5:
                    break
                if self.eot[4] & 0x60 != 0x60:  # ESC p is buffered: not while paper is out
                    self.drawer_open = True
                i += 5
            else:
                i += 1
        self._pending = bytes(buf[i:])
        return bytes(reply), close


class FakeTcpPrinter:
    def __init__(self, brain: PrinterBrain | None = None) -> None:
        self.brain = brain or PrinterBrain()
        self.connections = 0
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"tcp://127.0.0.1:{port}"

    async def __aenter__(self) -> FakeTcpPrinter:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while data := await reader.read(4096):
                reply, close = self.brain.feed(data)
                if reply:
                    writer.write(reply)
                    await writer.drain()
                if close:
                    break
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


class PtyPrinter:
    """The printer end of a pty pair; the app opens :attr:`path` as its serial port."""

    def __init__(self, brain: PrinterBrain | None = None) -> None:
        self.brain = brain or PrinterBrain()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # 8N1, no echo, no line editing: a plain byte pipe
        self.path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PtyPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        os.close(self._master)
        os.close(self._slave)

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:  # no app end open right now
                self._stop.wait(0.02)
                continue
            reply, _close = self.brain.feed(data)
            if reply:
                os.write(self._master, reply)
