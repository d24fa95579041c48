"""Serial barcode scanners (RS-232 or USB-CDC): each scan is the code plus a suffix (CR).

The keyboard-wedge recogniser lives in ``ui/`` (it needs Qt key events). A serial scanner needs
no timing heuristics: bytes arrive on the port and the suffix ends each code. If digits arrive
garbled from a keyboard-wedge scanner instead, its keyboard country does not match the
computer's: set the scanner's keyboard country (a barcode in its manual), or switch it to
serial / USB-COM mode and add it here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import serial


class SerialScanner:
    def __init__(self, port: str, baud: int = 9600, *, suffix: bytes = b"\r",
                 prefix: bytes = b"") -> None:
        if not suffix:
            raise ValueError("a serial scanner needs a suffix (usually CR) to end each scan")
        self.port, self.baud, self.suffix, self.prefix = port, baud, suffix, prefix
        self._serial: serial.Serial | None = None
        self._buffer = b""

    async def open(self) -> None:
        self._serial = await asyncio.to_thread(
            serial.Serial, self.port, self.baud, bytesize=8, parity="N", stopbits=1,
            timeout=0.2)

    async def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            await asyncio.to_thread(port.close)

    def feed(self, data: bytes) -> list[str]:
        """Bytes from the port -> the complete codes in them (prefix and suffix removed)."""
        self._buffer += data
        codes = []
        while self.suffix in self._buffer:
            raw, self._buffer = self._buffer.split(self.suffix, 1)
            raw = raw.strip(b"\n\r")
            if self.prefix and raw.startswith(self.prefix):
                raw = raw[len(self.prefix):]
            if raw:
                codes.append(raw.decode("ascii", errors="replace"))
        return codes

    async def scans(self) -> AsyncIterator[str]:
        """Codes as they are scanned, until cancelled or the port closes."""
        port = self._serial
        assert port is not None, "open() first"
        while True:
            data = await asyncio.to_thread(port.read, 256)
            for code in self.feed(data):
                yield code
