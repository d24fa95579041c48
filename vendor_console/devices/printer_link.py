"""Talking to one receipt printer: status, jobs confirmed by ``GS r 1``, drawer pulses.

All exchanges with a printer go through its :class:`PrinterLink`, which holds one lock: an idle
status poll never interleaves its bytes with a job, and two jobs never mix.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from vendor_console.devices import commands
from vendor_console.devices.errors import (
    ConnectionLost,
    DeviceError,
    PrinterUnreachable,
    ReplyTimeout,
)
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.status import PrinterStatus, decode, is_gs_r_reply, unreachable
from vendor_console.devices.transports import Transport, open_transport

TransportFactory = Callable[[str], Transport]


class Outcome(StrEnum):
    PRINTED = "printed"  # the printer answered GS r 1 after the job
    SENT = "sent"  # handed to a one-way spooler: it cannot confirm
    NOT_SENT = "not_sent"  # nothing went out (offline, not ready): safe to send again
    UNKNOWN = "unknown"  # bytes went out but no confirmation came: ask the cashier


@dataclass(frozen=True, slots=True)
class JobResult:
    outcome: Outcome
    message: str
    status: PrinterStatus | None = None


@dataclass(frozen=True, slots=True)
class DrawerResult:
    pulsed: bool
    drawer_open: bool | None  # read back from the sensor; None when it cannot be read
    message: str


class PrinterLink:
    def __init__(self, profile: PrinterProfile,
                 transport_factory: TransportFactory = open_transport) -> None:
        self.profile = profile
        self._factory = transport_factory
        self._lock = asyncio.Lock()
        self.last_status: PrinterStatus | None = None
        # Called with every status read, including "stopped mid-job" while a job is held.
        self.on_status: Callable[[PrinterStatus], None] | None = None

    def _report(self, status: PrinterStatus) -> PrinterStatus:
        self.last_status = status
        if self.on_status is not None:
            self.on_status(status)
        return status

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def _open(self) -> Transport:
        transport = self._factory(self.profile.url)
        await transport.open(self.profile.connect_timeout)
        return transport

    async def _query(self, transport: Transport) -> PrinterStatus:
        replies = []
        for n in (1, 2, 3, 4):
            await transport.write(commands.status_request(n))
            replies.append((await transport.read(1, self.profile.status_timeout))[0])
        return self._report(decode(*replies))

    async def status(self) -> PrinterStatus:
        """The printer's status now (``reachable=False`` when it does not answer)."""
        async with self._lock:
            return await self._status_locked()

    async def _status_locked(self) -> PrinterStatus:
        try:
            transport = await self._open()
        except DeviceError as exc:
            return self._report(unreachable(exc.user_message))
        try:
            if not transport.bidirectional:
                return self._report(unreachable("status cannot be read through this connection"))
            return await self._query(transport)
        except (DeviceError, ValueError) as exc:
            return self._report(unreachable(str(exc)))
        finally:
            await _close_quietly(transport)

    async def poll_when_idle(self) -> PrinterStatus | None:
        """A status poll that steps aside while a job is running (returns None then)."""
        if self._lock.locked():
            return None
        return await self.status()

    async def print_job(self, data: bytes) -> JobResult:
        """Send one job; PRINTED only once the printer answered ``GS r 1`` after it."""
        async with self._lock:
            try:
                transport = await self._open()
            except DeviceError as exc:
                status = self._report(unreachable(exc.user_message))
                return JobResult(Outcome.NOT_SENT, exc.user_message, status)
            try:
                return await self._send(transport, data)
            finally:
                await _close_quietly(transport)

    async def _send(self, transport: Transport, data: bytes) -> JobResult:
        if transport.bidirectional:
            try:
                status = await self._query(transport)
            except (DeviceError, ValueError) as exc:
                return JobResult(Outcome.NOT_SENT,
                                 "The printer is not answering; the receipt is kept and will "
                                 "print when it is back.", self._report(unreachable(str(exc))))
            if not status.ready:
                return JobResult(Outcome.NOT_SENT, f"{status.summary()}: the receipt is kept "
                                 "and will print when the printer is ready.", status)
        try:
            await transport.write(data + (commands.PROCESSED_BARRIER
                                          if transport.bidirectional else b""))
            if not transport.bidirectional:
                await transport.close()
                return JobResult(Outcome.SENT, f"Sent to {transport.description}.")
            return await self._await_barrier(transport)
        except (ConnectionLost, ReplyTimeout) as exc:
            return JobResult(Outcome.UNKNOWN,
                             f"{exc.user_message} The receipt may or may not have printed: "
                             "check the printer, then print it again or mark it printed.")

    async def _await_barrier(self, transport: Transport) -> JobResult:
        """Wait for the GS r 1 reply. When it is late, ask why (DLE EOT 2 is real-time): a
        printer that stopped mid-job for paper or its cover holds the rest of the job and
        finishes it once fixed, so keep waiting (up to ``held_timeout``) and report it."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.profile.held_timeout
        while True:
            try:
                reply = (await transport.read(1, self.profile.job_timeout))[0]
            except ReplyTimeout:
                await transport.write(commands.status_request(2))
                reply = (await transport.read(1, self.profile.status_timeout))[0]
                if not is_gs_r_reply(reply):
                    held = _held_status(reply)
                    if held is None or loop.time() >= give_up:
                        raise
                    self._report(held)
                    continue
            if is_gs_r_reply(reply):
                return JobResult(Outcome.PRINTED, "Printed.", self.last_status)

    async def kick_drawer(self) -> DrawerResult:
        """Pulse the drawer (DLE DC4 real-time, or ESC p for printers that need it) and read
        the drawer sensor back."""
        drawer = self.profile.drawer
        pulse = (commands.drawer_pulse_realtime(drawer.pin, drawer.pulse_ms)
                 if drawer.method == "dle_dc4"
                 else commands.drawer_pulse_esc_p(drawer.pin, drawer.pulse_ms))
        async with self._lock:
            try:
                transport = await self._open()
            except DeviceError as exc:
                return DrawerResult(False, None, exc.user_message)
            try:
                await transport.write(pulse)
                if not transport.bidirectional:
                    return DrawerResult(True, None, "Drawer pulse sent.")
                try:
                    status = await self._query(transport)
                except (ReplyTimeout, ValueError):
                    return DrawerResult(True, None, "Drawer pulse sent; the printer did not "
                                        "report the drawer sensor.")
                opened = status.drawer_open(drawer.open_when_high)
                if opened:
                    return DrawerResult(True, True, "Drawer open.")
                hint = ("the printer is " + status.summary().removeprefix("Printer: ")
                        if not status.ready else "check the drawer cable, the pin (2 or 5) "
                        "and the sensor setting")
                return DrawerResult(True, False, f"The drawer did not open ({hint}).")
            except ConnectionLost as exc:
                return DrawerResult(False, None, exc.user_message)
            finally:
                await _close_quietly(transport)


def _held_status(eot2: int) -> PrinterStatus | None:
    """A DLE EOT 2 reply that says the printer stopped for a fixable reason, as a status."""
    if eot2 & 0x93 != 0x12 or not eot2 & 0x24:  # neither cover open nor paper end
        return None
    return PrinterStatus(online=False, cover_open=bool(eot2 & 0x04),
                         paper_out=bool(eot2 & 0x20), error=bool(eot2 & 0x40),
                         detail="stopped in the middle of a receipt")


async def _close_quietly(transport: Transport) -> None:
    with contextlib.suppress(OSError, DeviceError, PrinterUnreachable):
        await transport.close()
