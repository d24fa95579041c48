"""Barcode label sheets as PDF with Qt's PDF writer (layout and bars from vendor_console.labels).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from vendor_console.labels import A4_3X8, PAGE_MM, SheetFormat, ean13_modules, sheet_cells

RESOLUTION = 600  # dots per inch of the PDF's coordinate system


def paint_label(painter: QPainter, rect: QRectF, name: str, price: str, code: str) -> None:
    """One label in ``rect``: the name, the price, the EAN-13 bars and the digits under them."""
    pad = rect.height() * 0.06
    inner = rect.adjusted(pad, pad, -pad, -pad)
    font = QFont("Sans Serif")
    font.setPixelSize(max(1, int(inner.height() * 0.13)))
    painter.setFont(font)
    painter.setPen(QColor("black"))
    text_h = inner.height() * 0.18
    painter.drawText(QRectF(inner.left(), inner.top(), inner.width() * 0.7, text_h),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                                      int(inner.width() * 0.7)))
    painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), text_h),
                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, price)
    modules = ean13_modules(code)
    quiet = 11  # modules of white space each side (EAN-13 needs 11 left, 7 right)
    unit = inner.width() / (len(modules) + 2 * quiet)
    bar_top = inner.top() + text_h + pad
    bar_h = inner.height() - text_h - pad - inner.height() * 0.16
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    x = inner.left() + quiet * unit
    run = 0
    for i, bit in enumerate(modules + "0"):
        if bit == "1":
            run += 1
            continue
        if run:
            painter.drawRect(QRectF(x + (i - run) * unit, bar_top, run * unit, bar_h))
            run = 0
    painter.setPen(QColor("black"))
    painter.drawText(QRectF(inner.left(), bar_top + bar_h, inner.width(),
                            inner.bottom() - bar_top - bar_h),
                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, code)


def write_label_pdf(path: Path, labels: list[tuple[str, str, str]],
                    fmt: SheetFormat = A4_3X8) -> int:
    """Write (name, price text, EAN-13) labels to an A4 PDF; returns the number of pages."""
    if not labels:
        raise ValueError("no labels to print")
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QSizeF(*PAGE_MM), QPageSize.Unit.Millimeter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle("Barcode labels")
    dots = RESOLUTION / 25.4
    painter = QPainter(writer)
    page = 0
    try:
        for cell, (name, price, code) in zip(sheet_cells(len(labels), fmt), labels,
                                             strict=True):
            if cell.page != page:
                writer.newPage()
                page = cell.page
            paint_label(painter, QRectF(cell.x_mm * dots, cell.y_mm * dots,
                                        cell.w_mm * dots, cell.h_mm * dots), name, price, code)
    finally:
        painter.end()
    return page + 1
