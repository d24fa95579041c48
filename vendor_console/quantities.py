"""Quantities as scaled integers: 1 unit == QTY_SCALE. A variant's precision (0-3) says how
many decimals it may be sold in (pieces: 0, grams: 0, kilograms: 3)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from vendor_console.errors import InvalidQuantity

QTY_SCALE = 1000
MAX_PRECISION = 3


def parse_quantity(text: str | int | Decimal, precision: int, unit: str = "pc") -> int:
    """``"0.250"`` at precision 3 -> 250. Rejects more decimals than the unit allows."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidQuantity(f"“{text}” is not a quantity.", field="quantity") from exc
    if not value.is_finite():
        raise InvalidQuantity(f"“{text}” is not a quantity.", field="quantity")
    scaled = value * QTY_SCALE
    step = QTY_SCALE // 10**precision
    if scaled != scaled.to_integral_value() or int(scaled) % step:
        allowed = "whole numbers" if precision == 0 else f"up to {precision} decimals"
        raise InvalidQuantity(
            f"Quantities in {unit} are sold in {allowed}; “{text}” is not allowed.",
            field="quantity",
        )
    return int(scaled)


def format_quantity(scaled: int, precision: int) -> str:
    """250 at precision 3 -> ``"0.250"``; 2000 at precision 0 -> ``"2"``."""
    value = Decimal(scaled) / QTY_SCALE
    return f"{value:.{precision}f}"


def require_positive(scaled: int, unit: str = "pc") -> int:
    if scaled <= 0:
        raise InvalidQuantity(f"The quantity must be more than zero {unit}.", field="quantity")
    return scaled
