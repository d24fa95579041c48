"""Windows: send a job to a printer queue as RAW bytes through the spooler (winspool.drv).

How it works (Win32 "Sending data directly to a printer"): ``OpenPrinterW(name)``,
``StartDocPrinterW`` with a ``DOC_INFO_1`` whose data type is ``"RAW"`` (the driver passes the
bytes through untouched, so our ESC/POS reaches the printer as built), ``StartPagePrinter``,
``WritePrinter``, ``EndPagePrinter``, ``EndDocPrinter``, ``ClosePrinter``. Set the printer up in
Windows with the vendor's driver or the "Generic / Text Only" driver on the right port (USB001,
COM3 …); the queue name is the printer's name in Settings > Printers.

The spooler is one-way: no ``DLE EOT`` or ``GS r`` replies come back, so a job sent this way
ends "sent to the Windows spooler", never "printed", and status shows "unknown". Printers that
also have a network port are better added as ``tcp://``. Written with ctypes so no extra
package is needed; it cannot run on Linux or macOS (``open()`` says so).
"""

from __future__ import annotations

import asyncio
import ctypes
import sys
from typing import Any

from vendor_console.devices.errors import ConnectionLost, PrinterUnreachable, ReplyTimeout


class _DocInfo1(ctypes.Structure):
    _fields_ = [("pDocName", ctypes.c_wchar_p), ("pOutputFile", ctypes.c_wchar_p),
                ("pDatatype", ctypes.c_wchar_p)]


class WinspoolTransport:
    bidirectional = False

    def __init__(self, printer_name: str, document_name: str = "Receipt") -> None:
        self.printer_name = printer_name
        self.document_name = document_name
        self.description = f"Windows printer “{printer_name}”"
        self._chunks: list[bytes] = []

    async def open(self, timeout: float) -> None:
        if sys.platform != "win32":
            raise PrinterUnreachable(
                f"{self.description}: Windows printer queues can only be used on Windows.")
        self._chunks = []

    async def write(self, data: bytes) -> None:
        self._chunks.append(data)  # the whole job goes to the spooler as one document on close

    async def read(self, n: int, timeout: float) -> bytes:
        raise ReplyTimeout(f"{self.description} cannot report its status through the spooler.")

    async def close(self) -> None:
        data, self._chunks = b"".join(self._chunks), []
        if data:
            try:
                await asyncio.to_thread(_spool_raw, self.printer_name, self.document_name, data)
            except OSError as exc:
                raise ConnectionLost(f"{self.description}: the spooler refused the job ({exc}).") \
                    from exc


def _spool_raw(printer_name: str, document_name: str, data: bytes) -> None:  # pragma: no cover
    winspool: Any = ctypes.WinDLL("winspool.drv", use_last_error=True)  # type: ignore[attr-defined]
    handle = ctypes.c_void_p()
    if not winspool.OpenPrinterW(ctypes.c_wchar_p(printer_name), ctypes.byref(handle), None):
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
    try:
        info = _DocInfo1(document_name, None, "RAW")
        if not winspool.StartDocPrinterW(handle, 1, ctypes.byref(info)):
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
        try:
            winspool.StartPagePrinter(handle)
            written = ctypes.c_ulong(0)
            buffer = ctypes.create_string_buffer(data, len(data))
            if not winspool.WritePrinter(handle, buffer, len(data), ctypes.byref(written)) \
                    or written.value != len(data):
                raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
            winspool.EndPagePrinter(handle)
        finally:
            winspool.EndDocPrinter(handle)
    finally:
        winspool.ClosePrinter(handle)
