"""The Settings form's connection (kind + address) to a printer URL and back."""

from __future__ import annotations

import pytest

from ui.devices.printer_address import from_url, to_url
from vendor_console.devices.transports import open_transport


@pytest.mark.parametrize(("kind", "address", "baud", "url"), [
    ("tcp", "192.168.1.50", 9600, "tcp://192.168.1.50:9100"),
    ("tcp", "192.168.1.50:9101", 9600, "tcp://192.168.1.50:9101"),
    ("serial", "/dev/ttyUSB0", 19200, "serial:///dev/ttyUSB0?baud=19200"),
    ("serial", "COM3", 9600, "serial://COM3?baud=9600"),
    ("usblp", "/dev/usb/lp0", 9600, "usblp:///dev/usb/lp0"),
    ("winspool", "EPSON TM-T20III", 9600, "winspool://EPSON TM-T20III"),
])
def test_address_round_trip(kind: str, address: str, baud: int, url: str) -> None:
    assert to_url(kind, address, baud) == url
    open_transport(url)  # a URL the transports accept
    back_kind, back_address, back_baud = from_url(url)
    assert back_kind == kind and back_baud == baud
    assert to_url(back_kind, back_address, back_baud) == url
