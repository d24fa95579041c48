"""A printer's connection as the Settings form shows it (kind + address) and as its URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

KINDS: dict[str, str] = {  # kind -> label
    "tcp": "Network (TCP port 9100)",
    "serial": "Serial (RS-232 / USB-serial)",
    "usblp": "USB (/dev/usb/lp*)",
    "winspool": "Windows printer (RAW spooler)",
}
HINTS = {"tcp": "192.168.1.50 or 192.168.1.50:9100", "serial": "/dev/ttyUSB0 or COM3",
         "usblp": "/dev/usb/lp0", "winspool": "the Windows printer's name"}
BAUDS = (9600, 19200, 38400, 57600, 115200)


def to_url(kind: str, address: str, baud: int = 9600) -> str:
    address = address.strip()
    if kind == "tcp":
        return f"tcp://{address}" if ":" in address else f"tcp://{address}:9100"
    if kind == "serial":
        return f"serial://{address}?baud={baud}"
    if kind == "usblp":
        return f"usblp://{address}"
    return f"winspool://{address}"


def from_url(url: str) -> tuple[str, str, int]:
    """(kind, address, baud) for the form."""
    parts = urlsplit(url)
    kind = parts.scheme if parts.scheme in KINDS else "tcp"
    baud = int(parse_qs(parts.query).get("baud", ["9600"])[-1])
    if kind == "tcp":
        return kind, parts.netloc, baud
    return kind, parts.netloc + parts.path, baud
