"""Printer status from the four ``DLE EOT`` replies (Epson ESC/POS reference, ``dle_eot.html``).

Every DLE EOT reply has the form ``0xx1xx10``; a ``GS r`` reply has bit 4 clear (``0xx0xxxx``)
and an Automatic Status Back block starts with ``0xx1xx00``, so a reader can tell them apart.
"""

from __future__ import annotations

from dataclasses import dataclass


def is_dle_eot_reply(byte: int) -> bool:
    return byte & 0x93 == 0x12


def is_gs_r_reply(byte: int) -> bool:
    return byte & 0x90 == 0x00


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    online: bool
    reachable: bool = True  # False: the printer did not answer at all
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    error: bool = False  # DLE EOT 2 bit 6: some error stopped the printer
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False
    drawer_pin3_high: bool = False
    detail: str = ""

    @property
    def ready(self) -> bool:
        """Safe to send a job: answering, online, no paper, cover or error problem."""
        return (self.reachable and self.online and not self.paper_out and not self.cover_open
                and not self.error)

    def drawer_open(self, open_when_high: bool = True) -> bool:
        """The drawer sensor read through the profile's polarity setting."""
        return self.drawer_pin3_high == open_when_high

    def summary(self) -> str:
        """One short phrase for the status bar."""
        if not self.reachable:
            return "Printer not answering" + (f" ({self.detail})" if self.detail else "")
        problems = [
            text for flag, text in (
                (self.cover_open, "cover open"), (self.paper_out, "out of paper"),
                (self.cutter_error, "cutter jammed"),
                (self.unrecoverable_error, "needs service"),
                (self.error and not (self.cutter_error or self.unrecoverable_error), "error"),
            ) if flag
        ]
        if problems:
            return "Printer: " + ", ".join(problems)
        if not self.online:
            return "Printer offline"
        if self.paper_near_end:
            return "Printer ready (paper running low)"
        return "Printer ready"


def unreachable(detail: str) -> PrinterStatus:
    return PrinterStatus(online=False, reachable=False, detail=detail)


def decode(eot1: int, eot2: int, eot3: int, eot4: int) -> PrinterStatus:
    """The four DLE EOT reply bytes (n = 1, 2, 3, 4) as one status."""
    for n, byte in enumerate((eot1, eot2, eot3, eot4), start=1):
        if not is_dle_eot_reply(byte):
            raise ValueError(f"0x{byte:02x} is not a DLE EOT {n} reply")
    return PrinterStatus(
        online=not eot1 & 0x08,
        drawer_pin3_high=bool(eot1 & 0x04),
        cover_open=bool(eot2 & 0x04),
        paper_out=bool(eot2 & 0x20) or eot4 & 0x60 == 0x60,
        error=bool(eot2 & 0x40),
        cutter_error=bool(eot3 & 0x08),
        unrecoverable_error=bool(eot3 & 0x20),
        auto_recoverable_error=bool(eot3 & 0x40),
        paper_near_end=eot4 & 0x0C == 0x0C,
    )
