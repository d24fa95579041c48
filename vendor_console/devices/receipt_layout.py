"""A receipt document laid out in fixed columns: what each printed line says, no bytes yet."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from vendor_console.receipts import ReceiptDocument

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    align: str = "left"  # left, center
    bold: bool = False
    tall: bool = False  # double height (keeps the column count)


def _pair(left: str, right: str, columns: int) -> list[str]:
    """``left`` and ``right`` on one line, the left part wrapped when it does not fit."""
    room = columns - len(right) - 1
    if room < 8:
        return [*textwrap.wrap(left, columns), right.rjust(columns)]
    parts = textwrap.wrap(left, room) or [""]
    return [*parts[:-1], parts[-1].ljust(room) + " " + right]


def layout(doc: ReceiptDocument, columns: int) -> list[Row]:
    rule = Row("-" * columns)
    rows = [*_head(doc, columns), rule, *_items(doc, columns), rule, *_totals(doc, columns)]
    return [_plain(row) for row in rows]


def _plain(row: Row) -> Row:
    """Babel's no-break and thin spaces as plain spaces: one column each, on every code page."""
    return Row(row.text.translate(_SPACES), row.align, row.bold, row.tall)


def _head(doc: ReceiptDocument, columns: int) -> list[Row]:
    rows = [Row(doc.shop_name, "center", bold=True, tall=True)]
    rows += [Row(line, "center") for line in doc.header]
    title = "REFUND" if doc.kind == "REFUND" else "Receipt"
    rows += [Row(t) for t in _pair(f"{title} {doc.receipt_number}", doc.when(), columns)]
    if doc.original_receipt:
        rows.append(Row(f"Refund of receipt {doc.original_receipt}"))
    if doc.served_by:
        rows.append(Row(f"Served by {doc.served_by}"))
    return rows


def _items(doc: ReceiptDocument, columns: int) -> list[Row]:
    rows: list[Row] = []
    for line in doc.lines:
        rows += [Row(t) for t in _pair(line.name, doc.money(line.amount), columns)]
        if line.show_quantity:
            rows.append(Row(f"  {line.quantity} x {doc.money(line.unit_price)}"))
        if line.discount:
            rows += [Row(t) for t in _pair("  Discount", doc.money(-line.discount), columns)]
        if line.note:
            rows += [Row("  " + t) for t in textwrap.wrap(line.note, columns - 2)]
    return rows


def _totals(doc: ReceiptDocument, columns: int) -> list[Row]:
    rows: list[Row] = []
    if doc.discount_total:
        rows += [Row(t) for t in _pair("Subtotal", doc.money(doc.subtotal), columns)]
        rows += [Row(t) for t in _pair("Discounts", doc.money(-doc.discount_total), columns)]
    if not doc.prices_include_tax:
        for tax in doc.taxes:
            label = f"Tax {doc.rate(tax.rate_bp)}"
            rows += [Row(t) for t in _pair(label, doc.money(tax.tax), columns)]
    if doc.rounding:
        rows += [Row(t) for t in _pair("Rounding", doc.money(doc.rounding), columns)]
    rows += [Row(t, bold=True, tall=True)
             for t in _pair("TOTAL", doc.money(doc.total), columns)]
    for tender in doc.tenders:
        rows += [Row(t) for t in _pair(tender.label, doc.money(tender.tendered), columns)]
    if doc.change:
        rows += [Row(t, bold=True) for t in _pair("Change", doc.money(doc.change), columns)]
    if doc.taxes and doc.prices_include_tax:
        rows.append(Row("-" * columns))
        for tax in doc.taxes:
            label = f"incl. tax {doc.rate(tax.rate_bp)} of {doc.money(tax.taxable + tax.tax)}"
            rows += [Row(t) for t in _pair(label, doc.money(tax.tax), columns)]
    return rows


def footer_rows(doc: ReceiptDocument, columns: int) -> list[Row]:
    rows = [Row(doc.receipt_number, "center")]
    for line in doc.footer:
        rows += [Row(t, "center") for t in textwrap.wrap(line, columns) or [""]]
    return [_plain(row) for row in rows]


def plain_text(doc: ReceiptDocument, columns: int = 42) -> str:
    """The receipt as monospaced text (for a screen preview or an e-mail)."""
    out = []
    for row in [*layout(doc, columns), *footer_rows(doc, columns)]:
        out.append(row.text.center(columns).rstrip() if row.align == "center" else row.text)
    return "\n".join(out) + "\n"
