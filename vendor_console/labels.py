"""Barcode label sheets, without Qt: EAN-13 bar patterns and where each label sits on a page.

:func:`ean13_modules` turns a valid EAN-13 into its 95 modules ("1" = bar, "0" = space) with
the standard guard bars and the left-half parity set by the first digit. :func:`sheet_cells`
places labels on A4 sheets (3 x 8 labels of 70 x 37 mm, a common self-adhesive format).
The UI paints both with Qt's PDF writer.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendor_console.barcodes import is_valid_gtin

_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")
_G = tuple(code[::-1].translate(str.maketrans("01", "10")) for code in _L)
_R = tuple(code.translate(str.maketrans("01", "10")) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")

PAGE_MM = (210.0, 297.0)


@dataclass(frozen=True, slots=True)
class SheetFormat:
    columns: int = 3
    rows: int = 8
    label_mm: tuple[float, float] = (70.0, 37.0)
    margin_mm: tuple[float, float] = (0.0, 0.5)  # left, top

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True, slots=True)
class Cell:
    page: int
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float


def ean13_modules(code: str) -> str:
    if len(code) != 13 or not is_valid_gtin(code):
        raise ValueError(f"not a valid EAN-13: {code!r}")
    first, left, right = int(code[0]), code[1:7], code[7:]
    bars = "101"
    for digit, parity in zip(left, _PARITY[first], strict=True):
        bars += (_L if parity == "L" else _G)[int(digit)]
    bars += "01010"
    for digit in right:
        bars += _R[int(digit)]
    return bars + "101"


A4_3X8 = SheetFormat()


def sheet_cells(count: int, fmt: SheetFormat = A4_3X8) -> list[Cell]:
    """Where each of ``count`` labels goes: left to right, top to bottom, page by page."""
    w, h = fmt.label_mm
    cells = []
    for i in range(count):
        page, slot = divmod(i, fmt.per_page)
        row, column = divmod(slot, fmt.columns)
        cells.append(Cell(page, fmt.margin_mm[0] + column * w, fmt.margin_mm[1] + row * h,
                          w, h))
    return cells
