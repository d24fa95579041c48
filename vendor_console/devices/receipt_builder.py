"""Receipt documents to ESC/POS bytes: a pure function, python-escpos ``Dummy`` as byte builder.

Every job starts with ``ESC @`` followed by ``ESC t n`` for the printer's fixed code page, and
:func:`_reset` re-selects the code page after any later ``ESC @``: python-escpos 3.1 believes
the page survives ``ESC @`` (it does not) and would send nothing, so € and accents would print
as garbage. Text is encoded by us with the profile's codec (never MagicEncode, which switches
to code pages the printer does not have).
"""

from __future__ import annotations

import contextlib
import io

from escpos.printer import Dummy
from PIL import Image

from vendor_console.devices import commands
from vendor_console.devices.profile import CODE_PAGES, PrinterProfile
from vendor_console.devices.receipt_layout import Row, footer_rows, layout
from vendor_console.receipts import ReceiptDocument

DOTS = {58: 384, 80: 576}  # printable dots per line at 203 dpi
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


class _Job:
    """One print job being assembled (a thin layer over ``Dummy``)."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.out = Dummy()
        self.reset()

    def reset(self) -> None:
        """ESC @ then ESC t n, every time (python-escpos 3.1 forgets the page after ESC @, so
        we select it ourselves and never let its encoder choose)."""
        self.out.hw("INIT")
        self.raw(commands.select_code_page(self.profile.code_page_number))

    def raw(self, data: bytes) -> None:
        self.out._raw(data)

    def text(self, text: str) -> None:
        self.raw(text.translate(_SPACES).encode(self.profile.codec, errors="replace"))

    def row(self, row: Row) -> None:
        self.out.set(align=row.align, bold=row.bold, double_height=row.tall,
                     normal_textsize=not row.tall)
        self.text(row.text + "\n")

    def finish(self) -> bytes:
        self.out.set(align="left", bold=False, normal_textsize=True)
        if self.profile.cut != "none":
            self.raw(commands.cut(partial=self.profile.cut == "partial"))
        else:
            self.raw(b"\n" * 4)
        return bytes(self.out.output)


def prepare_logo(logo: Image.Image, profile: PrinterProfile) -> Image.Image:
    """A logo as the printer needs it: 1-bit, at most half the paper's printable width."""
    limit = DOTS[profile.width_mm] // 2
    image = logo.convert("L")
    if image.width > limit:
        image = image.resize((limit, max(1, round(image.height * limit / image.width))))
    return image.point(lambda v: 255 if v >= 128 else 0).convert("1")


def build_receipt(doc: ReceiptDocument, profile: PrinterProfile,
                  logo: Image.Image | None = None) -> bytes:
    """The complete print job for ``doc`` on a printer set up as ``profile`` (with the shop's
    logo on top when given; raster graphics ``GS v 0``)."""
    job = _Job(profile)
    if logo is not None:
        job.out.set(align="center")
        with contextlib.redirect_stdout(io.StringIO()):  # python-escpos prints profile notices
            job.out.image(prepare_logo(logo, profile), impl="bitImageRaster", center=False)
    for row in layout(doc, profile.columns):
        job.row(row)
    job.raw(b"\n")
    job.out.set(align="center")
    if profile.barcode == "qr":
        job.out.qr(doc.receipt_number, native=True, size=6, center=False)
    elif profile.barcode == "code128":
        with contextlib.redirect_stdout(io.StringIO()):  # python-escpos prints a notice
            job.out.barcode("{B" + doc.receipt_number, "CODE128", function_type="B", pos="OFF",
                            check=False)
    for row in footer_rows(doc, profile.columns):
        job.row(row)
    return job.finish()


def build_test_page(profile: PrinterProfile) -> bytes:
    """A short page that shows the printer works: name, width and the accented characters."""
    job = _Job(profile)
    job.row(Row("Test print", "center", bold=True, tall=True))
    job.row(Row(profile.name, "center"))
    job.row(Row(f"{profile.width_mm} mm, {profile.columns} columns, {profile.code_page}"))
    job.row(Row("-" * profile.columns))
    job.row(Row("Crème brûlée, Smørrebrød, Ça va? Œ"))
    job.row(Row("€ 1,50   £ 2.30   ¢ ¥"))
    job.row(Row("1234567890" * (profile.columns // 10) + "12345678"[: profile.columns % 10]))
    return job.finish()


def build_code_page_test(profile: PrinterProfile) -> bytes:
    """Every printable byte 0x80-0xFF of each known code page, to find the printer's tables."""
    job = _Job(profile)
    job.row(Row("Code page test", "center", bold=True))
    for name, (number, _codec) in CODE_PAGES.items():
        job.raw(commands.select_code_page(number))
        job.raw(f"ESC t {number} ({name}):\n".encode("ascii"))
        for start in range(0x80, 0x100, 0x20):
            job.raw(bytes(range(start, start + 0x20)) + b"\n")
    job.reset()
    return job.finish()


def build_text_page(text: str, profile: PrinterProfile) -> bytes:
    """A plain report (the X and Z shift reports): the first line as a bold title, the rest
    as printed; lines longer than the paper wrap on the printer."""
    job = _Job(profile)
    lines = text.replace("\u2212", "-").replace("\u2014", "-").splitlines() or [""]
    job.row(Row(lines[0], "center", bold=True, tall=True))
    for line in lines[1:]:
        job.row(Row(line))
    return job.finish()
