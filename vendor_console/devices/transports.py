"""Our own async byte transports to printers: TCP 9100, serial, Linux USB printer class, Windows.

Every transport is opened for one exchange (a job, a status poll, a drawer pulse) and closed
after, so a printer that was switched off and on needs no reconnect logic. Reads take an explicit
timeout; a timeout means "no reply", which the caller treats as offline or unknown.

URLs: ``tcp://HOST:PORT`` (port 9100 when omitted), ``serial:///dev/ttyUSB0?baud=9600`` or
``serial://COM3?baud=19200``
(8N1, RTS/CTS with ``&flow=rtscts``), ``usblp:///dev/usb/lp0``, ``winspool://Printer Name``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import serial

from vendor_console.devices.errors import ConnectionLost, PrinterUnreachable, ReplyTimeout
from vendor_console.devices.winspool import WinspoolTransport


class Transport(Protocol):
    description: str
    bidirectional: bool  # False: the printer cannot answer (the Windows spooler)

    async def open(self, timeout: float) -> None: ...
    async def write(self, data: bytes) -> None: ...
    async def read(self, n: int, timeout: float) -> bytes: ...
    async def close(self) -> None: ...


class TcpTransport:
    """A raw socket to the printer's port 9100 (asyncio streams)."""

    bidirectional = True

    def __init__(self, host: str, port: int = 9100) -> None:
        self.host, self.port = host, port
        self.description = f"{host}:{port}"
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self, timeout: float) -> None:
        try:
            self._reader, self._writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), timeout)
        except (OSError, TimeoutError) as exc:
            reason = "no answer" if isinstance(exc, TimeoutError) else (
                exc.strerror or str(exc))
            raise PrinterUnreachable(
                f"Cannot reach the printer at {self.description} ({reason}). Check that it is "
                "switched on and connected to the network.") from exc

    async def write(self, data: bytes) -> None:
        assert self._writer is not None, "open() first"
        try:
            self._writer.write(data)
            await self._writer.drain()
        except OSError as exc:
            raise ConnectionLost(f"The connection to {self.description} broke.") from exc

    async def read(self, n: int, timeout: float) -> bytes:
        assert self._reader is not None, "open() first"
        try:
            return await asyncio.wait_for(self._reader.readexactly(n), timeout)
        except TimeoutError as exc:
            raise ReplyTimeout(f"The printer at {self.description} did not answer.") from exc
        except (OSError, asyncio.IncompleteReadError) as exc:
            raise ConnectionLost(f"The printer at {self.description} closed the connection.") \
                from exc

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


class FileDescriptorTransport:
    """A device file read and written with a worker thread: Linux ``/dev/usb/lp*`` (the
    kernel's usblp driver is bidirectional, so DLE EOT and GS r replies come back)."""

    bidirectional = True

    def __init__(self, path: str) -> None:
        self.path = path
        self.description = path
        self._fd: int | None = None

    async def open(self, timeout: float) -> None:
        def do_open() -> int:
            return os.open(self.path, os.O_RDWR | getattr(os, "O_NOCTTY", 0))

        try:
            self._fd = await asyncio.wait_for(asyncio.to_thread(do_open), timeout)
        except (OSError, TimeoutError) as exc:
            raise PrinterUnreachable(
                f"Cannot open the printer port {self.path} ({exc}). Check the cable and that "
                "this user may use the port.") from exc

    async def write(self, data: bytes) -> None:
        fd = self._fd
        assert fd is not None, "open() first"

        def write_all() -> None:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]

        try:
            await asyncio.to_thread(write_all)
        except OSError as exc:
            raise ConnectionLost(f"Writing to {self.path} failed ({exc}).") from exc

    async def read(self, n: int, timeout: float) -> bytes:
        fd = self._fd
        assert fd is not None, "open() first"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def read_some(wait: float) -> bytes:
            ready, _, _ = select.select([fd], [], [], wait)
            return os.read(fd, n) if ready else b""

        got = b""
        while len(got) < n:
            left = deadline - loop.time()
            if left <= 0:
                raise ReplyTimeout(f"The printer on {self.path} did not answer.")
            try:
                got += await asyncio.to_thread(read_some, min(left, 0.25))
            except OSError as exc:
                raise ConnectionLost(f"Reading from {self.path} failed ({exc}).") from exc
        return got

    async def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class SerialTransport:
    """A serial printer (pyserial, in a worker thread; 8 data bits, no parity, 1 stop bit)."""

    bidirectional = True

    def __init__(self, port: str, baud: int = 9600, *, rtscts: bool = False) -> None:
        self.port, self.baud, self.rtscts = port, baud, rtscts
        self.description = f"{port} at {baud} baud"
        self._serial: serial.Serial | None = None

    async def open(self, timeout: float) -> None:
        def do_open() -> serial.Serial:
            return serial.Serial(self.port, self.baud, bytesize=8, parity="N", stopbits=1,
                                 rtscts=self.rtscts, timeout=0.25, write_timeout=timeout)

        try:
            self._serial = await asyncio.wait_for(asyncio.to_thread(do_open), timeout)
        except (OSError, ValueError, serial.SerialException, TimeoutError) as exc:
            raise PrinterUnreachable(
                f"Cannot open the printer port {self.port} ({exc}). Check the cable, the port "
                "name and that this user may use it.") from exc

    async def write(self, data: bytes) -> None:
        port = self._serial
        assert port is not None, "open() first"
        try:
            await asyncio.to_thread(port.write, data)
            await asyncio.to_thread(port.flush)
        except (OSError, serial.SerialException) as exc:
            raise ConnectionLost(f"Writing to {self.port} failed ({exc}).") from exc

    async def read(self, n: int, timeout: float) -> bytes:
        port = self._serial
        assert port is not None, "open() first"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        got = b""
        while len(got) < n:
            if loop.time() >= deadline:
                raise ReplyTimeout(f"The printer on {self.port} did not answer.")
            try:
                got += await asyncio.to_thread(port.read, n - len(got))
            except (OSError, serial.SerialException) as exc:
                raise ConnectionLost(f"Reading from {self.port} failed ({exc}).") from exc
        return got

    async def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            await asyncio.to_thread(port.close)


def open_transport(url: str) -> Transport:
    """The transport a printer URL names (raises ``ValueError`` for a malformed one)."""
    parts = urlsplit(url.strip())
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme == "tcp":
        if not parts.hostname:
            raise ValueError(f"{url}: a network printer URL is tcp://HOST:PORT")
        return TcpTransport(parts.hostname, parts.port or 9100)
    if parts.scheme == "serial":
        port = unquote(parts.netloc + parts.path)  # serial://COM3 or serial:///dev/ttyUSB0
        return SerialTransport(port, int(query.get("baud", "9600")),
                               rtscts=query.get("flow") == "rtscts")
    if parts.scheme == "usblp":
        return FileDescriptorTransport(unquote(parts.path))
    if parts.scheme == "winspool":
        return WinspoolTransport(unquote(parts.netloc + parts.path))
    raise ValueError(f"{url}: printer URLs start with tcp://, serial://, usblp:// or winspool://")
