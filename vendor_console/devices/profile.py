"""How one receipt printer is set up: paper width, code page, cutter, drawer and timeouts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from vendor_console.errors import ValidationError

# Code pages we select with ESC t, by the name python-escpos and the emulators use:
# name -> (ESC t number on Epson-compatible printers, Python codec). CP858 is CP850 plus €.
CODE_PAGES: dict[str, tuple[int, str]] = {
    "CP437": (0, "cp437"),
    "CP850": (2, "cp850"),
    "CP860": (3, "cp860"),
    "CP863": (4, "cp863"),
    "CP865": (5, "cp865"),
    "WPC1252": (16, "cp1252"),
    "CP866": (17, "cp866"),
    "CP852": (18, "cp852"),
    "CP858": (19, "cp858"),
}
COLUMNS = {58: 32, 80: 48}  # Font A (12 dots) on 384 / 576 printable dots


@dataclass(frozen=True, slots=True)
class DrawerSettings:
    pin: int = 2  # connector pin 2 or 5
    method: str = "dle_dc4"  # "dle_dc4" (real-time) or "esc_p" (buffered, for clones)
    pulse_ms: int = 100
    open_when_high: bool = True  # sensor polarity: pin 3 high means open


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    name: str = "Receipt printer"
    url: str = ""  # tcp://host:9100, serial:///dev/ttyUSB0?baud=9600, usblp:///dev/usb/lp0, winspool://Name
    width_mm: int = 80
    code_page: str = "CP858"
    cut: str = "full"  # full, partial or none
    barcode: str = "qr"  # receipt number as "qr", "code128" or "none"
    drawer: DrawerSettings = DrawerSettings()
    connect_timeout: float = 5.0
    status_timeout: float = 2.0  # a DLE EOT reply comes at once from a working printer
    # The GS r 1 reply after a job: generous (>= 15 s) so long receipts on slow serial links
    # are never cut short and reported as failed.
    job_timeout: float = 30.0
    # A printer that stopped mid-job (paper out, cover open) finishes it once fixed: how long
    # to keep waiting for that before the outcome counts as unknown.
    held_timeout: float = 600.0

    @property
    def columns(self) -> int:
        return COLUMNS[self.width_mm]

    @property
    def code_page_number(self) -> int:
        return CODE_PAGES[self.code_page][0]

    @property
    def codec(self) -> str:
        return CODE_PAGES[self.code_page][1]

    def validated(self) -> PrinterProfile:
        if self.width_mm not in COLUMNS:
            raise ValidationError("Receipt paper is 58 mm or 80 mm wide.", field="width_mm")
        if self.code_page not in CODE_PAGES:
            raise ValidationError(
                f"Unknown code page {self.code_page}; one of {', '.join(CODE_PAGES)}.",
                field="code_page")
        if self.cut not in ("full", "partial", "none"):
            raise ValidationError("The cut is full, partial or none.", field="cut")
        if self.barcode not in ("qr", "code128", "none"):
            raise ValidationError("The receipt code is qr, code128 or none.", field="barcode")
        if self.drawer.pin not in (2, 5):
            raise ValidationError("The cash drawer is on pin 2 or pin 5.", field="drawer.pin")
        if self.drawer.method not in ("dle_dc4", "esc_p"):
            raise ValidationError("The drawer pulse is dle_dc4 or esc_p.", field="drawer.method")
        return self

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PrinterProfile:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "drawer"}
        drawer_known = {f.name for f in fields(DrawerSettings)}
        drawer = DrawerSettings(**{
            k: v for k, v in (data.get("drawer") or {}).items() if k in drawer_known})
        return replace(cls(**values), drawer=drawer).validated()
