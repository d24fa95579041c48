"""Customer pole displays (2 x 20 characters): the last item and the total, as command bytes.

Two command sets, from the vendors' tables:
- ``escpos``: Epson ESC/POS display mode (DM-D): ``ESC @`` init, ``ESC t n`` code table,
  ``CLR`` (0C) clear, ``US $ x y`` (1F 24 x y, 1-based) cursor, ``US MD1`` (1F 01) overwrite.
- ``cd5220``: ``ESC @`` init, ``CLR`` (0C), ``ESC Q A text CR`` upper line,
  ``ESC Q B text CR`` lower line.
Text is cut or padded to the display width; characters the display's code page lacks are
replaced by their unaccented letter (and € by "EUR").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from vendor_console.devices import commands
from vendor_console.devices.transports import Transport, open_transport

ESC, US, CLR, CR = b"\x1b", b"\x1f", b"\x0c", b"\r"


@dataclass(frozen=True, slots=True)
class DisplayProfile:
    url: str = ""  # usually serial:///dev/ttyUSB1?baud=9600
    command_set: str = "escpos"  # escpos or cd5220
    columns: int = 20
    code_page: int | None = 19  # ESC t n for escpos displays; None leaves the default
    codec: str = "cp858"  # "ascii" for displays without accents


def fit(text: str, columns: int) -> str:
    return text[:columns].ljust(columns)


def displayable(text: str, codec: str) -> str:
    """``text`` with what the display cannot show spelled plainly (before fitting it to the
    width, so "€" becoming "EUR" never pushes the end of a price off the line)."""
    out = []
    for char in text.replace("\u00a0", " ").replace("\u202f", " "):
        try:
            char.encode(codec)
            out.append(char)
        except UnicodeEncodeError:
            plain = "EUR" if char == "€" else unicodedata.normalize("NFKD", char)
            out.append(plain.encode("ascii", errors="ignore").decode() or "?")
    return "".join(out)


def _encode(text: str, codec: str) -> bytes:
    return displayable(text, codec).encode(codec)


def show(profile: DisplayProfile, top: str, bottom: str) -> bytes:
    """Bytes that clear the display and show two lines."""
    upper = _encode(fit(top, profile.columns), profile.codec)[: profile.columns]
    lower = _encode(fit(bottom, profile.columns), profile.codec)[: profile.columns]
    if profile.command_set == "cd5220":
        return ESC + b"@" + CLR + ESC + b"QA" + upper + CR + ESC + b"QB" + lower + CR
    if profile.command_set != "escpos":
        raise ValueError(f"unknown display command set {profile.command_set}")
    init = ESC + b"@" + (commands.select_code_page(profile.code_page)
                         if profile.code_page is not None else b"")
    return (init + US + b"\x01" + CLR + US + b"$\x01\x01" + upper + US + b"$\x01\x02" + lower)


def two_sides(left: str, right: str, columns: int) -> str:
    """``left`` and ``right`` on one display line, the left part cut to make room."""
    room = max(0, columns - len(right) - 1)
    return (left[:room].ljust(room) + " " + right)[-columns:] if room else right[-columns:]


def last_item_and_total(profile: DisplayProfile, item: str, price: str, total: str) -> bytes:
    columns, codec = profile.columns, profile.codec
    return show(profile, two_sides(item, displayable(price, codec), columns),
                two_sides("TOTAL", displayable(total, codec), columns))


class CustomerDisplay:
    """Sends display updates; each update opens the port, writes and closes (survives unplug)."""

    def __init__(self, profile: DisplayProfile) -> None:
        self.profile = profile

    async def send(self, data: bytes, *, timeout: float = 5.0) -> None:
        transport: Transport = open_transport(self.profile.url)
        await transport.open(timeout)
        try:
            await transport.write(data)
        finally:
            await transport.close()
