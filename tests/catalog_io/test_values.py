"""Cell values: money with either decimal mark, codes kept as text, mangled codes flagged."""

from __future__ import annotations

import pytest

from vendor_console.catalog_io import values


@pytest.mark.parametrize(("text", "comma", "minor"), [
    ("12.50", False, 1250), ("$1,234.50", False, 123450), ("€ 7", False, 700),
    ("12,50", True, 1250), ("1.234,50 €", True, 123450), ("1 234,5", True, 123450),
])
def test_money(text: str, comma: bool, minor: int) -> None:
    assert values.parse_money(text, 2, decimal_comma=comma) == minor


@pytest.mark.parametrize(("text", "comma"), [
    ("12,50", False),  # a decimal comma in a decimal-point file: an error, never 1250.00
    ("1,23,4.00", False), ("12.50", True), ("1.2.3", False), ("abc", False), ("-3", False),
    ("1.005", False),
])
def test_money_refused(text: str, comma: bool) -> None:
    with pytest.raises(values.CellError):
        values.parse_money(text, 2, decimal_comma=comma)


def test_codes_stay_text() -> None:
    assert values.parse_sku(" 00123 ").value == "00123"
    assert values.parse_barcode("4006381333931").value == "4006381333931"
    mangled = values.parse_barcode("8.71234E+12")
    assert mangled.value is None and mangled.warning
    repaired = values.parse_barcode("36000291452")
    assert repaired.value == "036000291452" and repaired.warning
    with pytest.raises(values.CellError):
        values.parse_barcode("5901234123458")
