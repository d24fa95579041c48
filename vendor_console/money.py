"""Money rules, in one place: amounts are ``int`` minor units (cents), never floats.

Rounding rule: **half up** (half away from zero), applied once per sale line. That is the
common retail rule and what a customer checking a receipt by hand expects (12.345 -> 12.35).

- Tax inside a price (``prices_include_tax``): ``tax = gross * rate / (1 + rate)``, rounded;
  ``net = gross - tax``, so net + tax always equals the price the customer saw.
- Tax on top of a price: ``tax = net * rate``, rounded.
- Percentages are basis points: 1000 bp = 10 %.
- A whole-sale discount is split over the lines in proportion to their amounts; each line gets
  the rounded-down share and the minor units left over go to the largest lines, one each,
  largest first (usually one cent to the largest line). The shares always add up exactly and
  no line gets more than its own amount.
- Cash rounding: a cash-only total is rounded half up to the shop's smallest coin
  (``cash_rounding``, e.g. 5 minor units); the difference is kept as the sale's ``rounding``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

from vendor_console.errors import InvalidPrice

BP_SCALE = 10_000  # basis points in 100 %
MAX_AMOUNT = 10**13 - 1  # 99 billion in a 2-decimal currency: far beyond any counter sale
_GROUPED = re.compile(r"-?\d{1,3}(_\d{3})+")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)")  # plain digits only: no exponents, no "+"


def div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in exact integer arithmetic."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return sign * quotient


def percent_of(amount: int, bp: int) -> int:
    """``bp`` basis points of ``amount``, rounded half up: ``percent_of(1999, 1000) == 200``."""
    return div_half_up(amount * bp, BP_SCALE)


def tax_from_inclusive(gross: int, rate_bp: int) -> int:
    """The tax contained in a tax-inclusive amount: 1200 at 20 % -> 200."""
    return div_half_up(gross * rate_bp, BP_SCALE + rate_bp)


def tax_from_exclusive(net: int, rate_bp: int) -> int:
    """The tax to add on top of a net amount: 1000 at 20 % -> 200."""
    return div_half_up(net * rate_bp, BP_SCALE)


def line_amount(unit_price: int, quantity: int, qty_scale: int = 1000) -> int:
    """Price of ``quantity`` (scaled by ``qty_scale``) at ``unit_price`` per unit, half up."""
    return div_half_up(unit_price * quantity, qty_scale)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` over ``weights`` proportionally; the parts sum to ``total`` exactly.

    Leftover minor units go to the largest weights first, one each, so no part exceeds its
    weight when ``total <= sum(weights)``. Zero weights get nothing.
    """
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("allocate() takes a non-negative total and weights")
    weight_sum = sum(weights)
    if total == 0:
        return [0] * len(weights)
    if weight_sum == 0:
        raise ValueError("cannot allocate a non-zero total over zero weights")
    parts = [total * w // weight_sum for w in weights]
    leftover = total - sum(parts)
    by_size = sorted(
        (i for i, w in enumerate(weights) if w > 0), key=lambda i: (-weights[i], i)
    )
    for k in range(leftover):
        parts[by_size[k % len(by_size)]] += 1
    return parts


def cash_round(amount: int, step: int) -> int:
    """``amount`` rounded half up to a multiple of ``step`` (the smallest coin in use)."""
    if step <= 1:
        return amount
    return div_half_up(amount, step) * step


def minor_digits(currency: str) -> int:
    """Decimals of ``currency``'s minor unit: EUR 2, JPY 0 (from CLDR via Babel)."""
    return int(get_currency_precision(currency))


def to_decimal(amount_minor: int, currency: str) -> Decimal:
    return Decimal(amount_minor).scaleb(-minor_digits(currency))


def format_money(amount_minor: int, currency: str, locale: str) -> str:
    """Localized text for an amount: ``format_money(1250, "EUR", "de_DE") == "12,50 €"``."""
    return str(format_currency(to_decimal(amount_minor, currency), currency, locale=locale))


def _normalize_separators(text: str) -> str:
    """Accept ``12,50``, ``12.50`` and grouped ``1.234,50`` / ``1,234.50`` / ``1 234,50``.

    With both separators present the last one is the decimal point; a lone separator is the
    decimal point (cashiers type either on a numpad); several of the same one are grouping.
    Grouping must come in threes (``1.234.567``); anything else is returned unchanged and
    fails the number check.
    """
    text = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if not _GROUPED.fullmatch(whole.replace(group_sep, "_")):
            return text
        return whole.replace(group_sep, "") + "." + fraction
    sep = "." if dots else ","
    if dots + commas > 1:
        return text.replace(sep, "") if _GROUPED.fullmatch(text.replace(sep, "_")) else text
    return text.replace(",", ".")


def parse_money(text: str, currency: str, *, field: str = "price") -> int:
    """A typed amount (``"12,50"``, ``"12.5"``, ``"7"``) in minor units of ``currency``.

    Raises :class:`InvalidPrice` for text that is not a number, negative amounts and more
    decimals than the currency has.
    """
    raw = text.strip()
    digits = minor_digits(currency)
    normalized = _normalize_separators(raw)
    if not _NUMBER.fullmatch(normalized):
        raise InvalidPrice(f"“{raw}” is not an amount of money.", field=field)
    value = Decimal(normalized)
    if value < 0:
        raise InvalidPrice("An amount of money cannot be negative.", field=field)
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        allowed = "no decimals" if digits == 0 else f"at most {digits} decimals"
        raise InvalidPrice(f"{currency} amounts have {allowed}; “{raw}” has more.", field=field)
    if minor > MAX_AMOUNT:
        raise InvalidPrice(f"“{raw}” is too large an amount.", field=field)
    return int(minor)


def parse_percent(text: str, *, field: str = "discount") -> int:
    """A typed percentage (``"10"``, ``"12,5"``, ``"7.25 %"``) in basis points, 0-100 %."""
    raw = text.strip()
    normalized = raw.removesuffix("%").strip().replace(",", ".")
    if not _NUMBER.fullmatch(normalized):
        raise InvalidPrice(f"“{raw}” is not a percentage.", field=field)
    bp = Decimal(normalized) * 100
    if bp != bp.to_integral_value() or not 0 <= bp <= BP_SCALE:
        raise InvalidPrice(
            f"A percentage is between 0 and 100 with at most 2 decimals; “{raw}” is not.",
            field=field,
        )
    return int(bp)
