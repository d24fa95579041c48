"""Expected device failures, in words for the cashier (all are ``DomainError``s)."""

from __future__ import annotations

from vendor_console.errors import DomainError


class DeviceError(DomainError):
    code = "device_error"


class PrinterUnreachable(DeviceError):
    """Nothing was sent: the connection failed or the printer did not answer a status query."""

    code = "printer_unreachable"


class PrinterNotReady(DeviceError):
    """The printer answered but cannot print now (paper out, cover open, offline)."""

    code = "printer_not_ready"


class ConnectionLost(DeviceError):
    """The link failed after bytes were sent: whether they printed is unknown."""

    code = "printer_connection_lost"


class ReplyTimeout(DeviceError):
    """The printer did not answer within the timeout."""

    code = "printer_reply_timeout"
