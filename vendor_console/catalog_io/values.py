"""Tolerant cell values: booleans, money with either decimal mark, quantities, and codes.

Every parser takes the raw cell text and returns the value or raises :class:`CellError` with
a message fit for the import report. SKUs and barcodes stay text; values that look mangled by
a spreadsheet program (``8.71234E+12``, a GTIN that lost its leading zero) are flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from vendor_console.barcodes import is_valid_gtin, normalize_barcode
from vendor_console.errors import DomainError
from vendor_console.money import MAX_AMOUNT
from vendor_console.quantities import QTY_SCALE

TRUE = frozenset({"y", "yes", "true", "1", "t", "x"})
FALSE = frozenset({"n", "no", "false", "0", "f", ""})
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_CURRENCY = re.compile(r"[^\d.,\-]")


class CellError(Exception):
    """A cell that cannot be read; ``message`` goes into the import report."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Code:
    """A SKU or barcode as it will be stored (``None``: leave it out), and why, if dropped or
    repaired."""

    value: str | None
    warning: str | None = None


def parse_bool(text: str) -> bool:
    value = text.strip().casefold()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(f"“{text}” is not yes or no (use Y/N, TRUE/FALSE or 1/0).")


def _decimal(text: str, decimal_comma: bool) -> Decimal:
    """A number with the file's decimal mark; the other mark only as a thousands separator
    in groups of three (``1.234,50`` / ``1,234.50``), so ``12,50`` in a decimal-point file
    is an error rather than 1250."""
    raw = _CURRENCY.sub("", text.replace("\u00a0", "").replace("\u202f", "").strip())
    group, point = (".", ",") if decimal_comma else (",", ".")
    whole, has_point, fraction = raw.partition(point)
    if point in fraction or group in fraction or (
            group in whole and not re.fullmatch(rf"-?\d{{1,3}}(\{group}\d{{3}})+", whole)):
        mark = "comma" if decimal_comma else "point"
        raise CellError(f"“{text}” is not a number written with a decimal {mark}, as the rest "
                        "of the file is.")
    raw = whole.replace(group, "") + ("." + fraction if has_point else "")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(f"“{text}” is not a number.") from exc
    if not value.is_finite():
        raise CellError(f"“{text}” is not a number.")
    return value


def parse_money(text: str, digits: int, *, decimal_comma: bool = False) -> int:
    """``"€1.234,50"`` (decimal comma) or ``"$1,234.50"`` in minor units."""
    value = _decimal(text, decimal_comma)
    if value < 0:
        raise CellError(f"“{text}”: an amount of money cannot be negative.")
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise CellError(f"“{text}” has more than {digits} decimals.")
    if minor > MAX_AMOUNT:
        raise CellError(f"“{text}” is too large an amount.")
    return int(minor)


def parse_quantity(text: str, precision: int, *, decimal_comma: bool = False) -> int:
    """A stock quantity, scaled by ``QTY_SCALE``; decimals only as far as ``precision``."""
    value = _decimal(text, decimal_comma)
    scaled = value * QTY_SCALE
    step = QTY_SCALE // 10**precision
    if scaled != scaled.to_integral_value() or int(scaled) % step:
        allowed = "whole numbers" if precision == 0 else f"up to {precision} decimals"
        raise CellError(f"“{text}”: this item is counted in {allowed}.")
    return int(scaled)


def parse_grams(text: str, *, unit: str = "g", decimal_comma: bool = False) -> int:
    factor = {"g": Decimal(1), "kg": Decimal(1000), "lb": Decimal("453.59237"),
              "oz": Decimal("28.349523125")}[unit]
    value = _decimal(text, decimal_comma) * factor
    if value < 0:
        raise CellError(f"“{text}”: a weight cannot be negative.")
    return int(value.to_integral_value())


def looks_mangled(text: str) -> bool:
    """Scientific notation: what a spreadsheet shows for a long number it took as a float."""
    return bool(_SCIENTIFIC.fullmatch(text.strip()))


def parse_sku(text: str) -> Code:
    value = " ".join(text.split())
    if not value:
        return Code(None)
    if looks_mangled(value):
        return Code(None, f"SKU “{value}” looks changed by a spreadsheet program (scientific "
                          "notation); it was not imported. Format the column as text and export "
                          "again.")
    if len(value) > 64:
        raise CellError(f"SKU “{value[:20]}…” is longer than 64 characters.")
    return Code(value)


def parse_barcode(text: str) -> Code:
    """A GTIN or in-house code; mangled ones are dropped with a warning, a GTIN that lost its
    leading zero gets it back (with a warning), a wrong check digit is an error."""
    value = "".join(text.split()).lstrip("'")
    if not value:
        return Code(None)
    if looks_mangled(value):
        return Code(None, f"Barcode “{value}” looks changed by a spreadsheet program "
                          "(scientific notation loses digits); it was not imported. Format the "
                          "column as text and export again.")
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]  # a number cell written as a float
    if value.isdigit() and len(value) in (11, 12) and not is_valid_gtin(value) \
            and is_valid_gtin("0" + value):
        return Code("0" + value, f"Barcode {value} lost its leading zero (a spreadsheet "
                                 f"took it for a number); imported as 0{value}.")
    try:
        return Code(normalize_barcode(value))
    except DomainError as exc:
        raise CellError(exc.user_message) from exc


def show_quantity(scaled: int) -> str:
    text = f"{Decimal(scaled) / QTY_SCALE:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def show_percent(bp: int) -> str:
    """Basis points as a percentage without trailing zeros: 2000 -> "20", 1350 -> "13.5"."""
    text = f"{Decimal(bp) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
