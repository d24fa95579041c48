"""Money rules: tax rounding, discounts, allocation, cash rounding, parsing and formatting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendor_console import money
from vendor_console.errors import InvalidPrice
from vendor_console.services.pricing import Cart, CartLine, Discount, VariantSnapshot, price_cart

RATES = st.sampled_from([0, 500, 700, 1300, 2000, 2100, 2500])


def test_tax_inside_a_price_rounds_half_up_per_line() -> None:
    assert money.tax_from_inclusive(1200, 2000) == 200
    assert money.tax_from_inclusive(999, 2000) == 167  # 166.5 -> 167
    assert money.tax_from_inclusive(105, 500) == 5
    assert money.tax_from_inclusive(500, 0) == 0


def test_tax_on_top_of_a_price_rounds_half_up() -> None:
    assert money.tax_from_exclusive(1000, 2000) == 200
    assert money.tax_from_exclusive(1, 5000) == 1  # 0.5 -> 1
    assert money.tax_from_exclusive(1, 4999) == 0


def test_percentage_discounts_are_basis_points() -> None:
    assert money.percent_of(1999, 1000) == 200  # 10 % of 19.99 = 1.999
    assert money.percent_of(1000, 1250) == 125
    assert money.percent_of(1000, 10000) == 1000


def test_sale_discount_allocation_gives_leftover_to_largest_line() -> None:
    assert money.allocate(100, [500, 300, 200]) == [50, 30, 20]
    assert money.allocate(10, [3, 3, 3]) == [4, 3, 3]
    assert money.allocate(1, [100, 900, 0]) == [0, 1, 0]
    assert money.allocate(2, [1, 1, 1]) == [1, 1, 0]  # never more than a line is worth
    with pytest.raises(ValueError, match="zero weights"):
        money.allocate(5, [0, 0])


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=30), st.data())
def test_allocation_always_sums_exactly_and_never_exceeds_a_line(
    weights: list[int], data: st.DataObject
) -> None:
    if sum(weights) == 0:
        return
    total = data.draw(st.integers(0, sum(weights)))
    parts = money.allocate(total, weights)
    assert sum(parts) == total
    assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))


@given(st.integers(0, 10**9), RATES)
def test_inclusive_tax_plus_net_is_the_price_and_tax_is_the_nearest_cent(
    gross: int, rate: int
) -> None:
    tax = money.tax_from_inclusive(gross, rate)
    net = gross - tax
    assert net + tax == gross
    assert 0 <= tax <= gross
    # the exact tax is gross * rate / (1 + rate); ours is within half a cent of it
    assert abs(tax * (10_000 + rate) - gross * rate) * 2 <= 10_000 + rate


@given(st.integers(0, 10**9), RATES)
def test_exclusive_and_inclusive_tax_agree_within_a_cent(net: int, rate: int) -> None:
    tax = money.tax_from_exclusive(net, rate)
    assert abs(money.tax_from_inclusive(net + tax, rate) - tax) <= 1


@given(
    st.lists(
        st.tuples(st.integers(0, 100_000), st.integers(1, 20), RATES, st.integers(0, 3000)),
        min_size=1, max_size=12,
    ),
    st.integers(0, 10_000),
    st.booleans(),
)
def test_priced_cart_adds_up_exactly(
    lines: list[tuple[int, int, int, int]], sale_bp: int, inclusive: bool
) -> None:
    variants = {
        f"v{i}": VariantSnapshot(f"v{i}", f"Item {i}", None, "pc", 0, price, rate, True)
        for i, (price, _qty, rate, _bp) in enumerate(lines)
    }
    cart = Cart(
        tuple(CartLine(f"v{i}", qty * 1000, discount=Discount(bp=bp))
              for i, (_p, qty, _r, bp) in enumerate(lines)),
        sale_discount=Discount(bp=sale_bp),
    )
    totals = price_cart(cart, variants, prices_include_tax=inclusive)
    for line in totals.lines:
        assert line.net + line.tax == line.total
        assert line.total == (line.gross - line.discount) + (0 if inclusive else line.tax)
    assert sum(t + n for n, t in totals.taxes.values()) == totals.total
    assert totals.subtotal - totals.discount_total + (0 if inclusive else totals.tax_total) \
        == totals.total


def test_cash_rounding_to_the_smallest_coin() -> None:
    assert money.cash_round(1232, 5) == 1230
    assert money.cash_round(1233, 5) == 1235
    assert money.cash_round(1235, 10) == 1240
    assert money.cash_round(1233, 1) == 1233


@pytest.mark.parametrize(("typed", "minor"), [
    ("12,50", 1250), ("12.5", 1250), ("7", 700), (" 0.99 ", 99), (".5", 50),
    ("1.234,50", 123450), ("1,234.50", 123450), ("1 234,50", 123450), ("1.234.567", 123456700),
])
def test_typed_amounts_parse_to_minor_units(typed: str, minor: int) -> None:
    assert money.parse_money(typed, "EUR") == minor


def test_currency_without_decimals() -> None:
    assert money.parse_money("1500", "JPY") == 1500
    with pytest.raises(InvalidPrice, match="no decimals"):
        money.parse_money("15.5", "JPY")


@pytest.mark.parametrize(("typed", "message"), [
    ("", "not an amount"), ("abc", "not an amount"), ("1e3", "not an amount"),
    ("nan", "not an amount"), ("12.5.3,4", "not an amount"), ("-1", "negative"),
    ("12.345", "at most 2 decimals"), ("99999999999999", "too large"),
])
def test_bad_amounts_are_refused_with_a_clear_message(typed: str, message: str) -> None:
    with pytest.raises(InvalidPrice, match=message) as caught:
        money.parse_money(typed, "EUR")
    assert caught.value.field == "price"


def test_typed_percentages_become_basis_points() -> None:
    assert money.parse_percent("10") == 1000
    assert money.parse_percent("12,5") == 1250
    assert money.parse_percent("7.25 %") == 725
    for bad in ("101", "-5", "1.234", "ten"):
        with pytest.raises(InvalidPrice):
            money.parse_percent(bad)


def test_amounts_are_formatted_for_the_shops_locale() -> None:
    assert money.format_money(1250, "EUR", "en_IE") == "€12.50"
    assert money.format_money(123450, "EUR", "de_DE") == "1.234,50\xa0€"
    assert money.format_money(1500, "JPY", "ja_JP") == "￥1,500"
