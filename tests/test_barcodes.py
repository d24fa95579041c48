"""Barcode validation: real GTINs pass, typos are caught, in-house codes round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendor_console.barcodes import (
    generate_in_house,
    gtin_check_digit,
    gtin_equivalents,
    is_in_house,
    is_valid_gtin,
    normalize_barcode,
)
from vendor_console.errors import InvalidBarcode

# Published codes printed on real packaging / in the GS1 documentation.
REAL_GTINS = [
    "96385074",  # EAN-8
    "036000291452",  # UPC-A
    "4006381333931",  # EAN-13
    "5901234123457",  # EAN-13
    "10614141000415",  # ITF-14 (GTIN-14)
]


@pytest.mark.parametrize("code", REAL_GTINS)
def test_real_gtins_are_accepted(code: str) -> None:
    assert normalize_barcode(code) == code
    assert is_valid_gtin(code)


def test_spaces_from_a_printed_label_are_removed() -> None:
    assert normalize_barcode(" 5 901234 123457 ") == "5901234123457"


def test_wrong_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(InvalidBarcode) as info:
        normalize_barcode("5901234123458")
    assert "should be 7" in info.value.user_message
    assert "EAN-13" in info.value.user_message
    assert info.value.field == "barcode"


@pytest.mark.parametrize("code", ["SHOP-0001", "abc123", "12345", "A" * 32, "12345678901"])
def test_in_house_codes_are_accepted_as_is(code: str) -> None:
    assert normalize_barcode(code) == code


@pytest.mark.parametrize("code", ["", "   ", "A" * 33, "café-1", "ab\x07c"])
def test_unusable_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidBarcode):
        normalize_barcode(code)


def test_generated_in_house_code_is_restricted_circulation_ean13() -> None:
    code = generate_in_house(42)
    assert code == "2000000000428"
    assert is_in_house(code)
    assert not is_in_house("5901234123457")
    assert generate_in_house(7, prefix="29").startswith("29")
    with pytest.raises(ValueError):
        generate_in_house(7, prefix="30")
    with pytest.raises(ValueError):
        generate_in_house(10**10)


def test_upc_and_its_ean13_form_are_equivalent() -> None:
    assert gtin_equivalents("036000291452") == ("036000291452", "0036000291452", "00036000291452")
    assert gtin_equivalents("0036000291452")[1] == "036000291452"
    assert gtin_equivalents("SHOP-1") == ("SHOP-1",)


@given(seq=st.integers(min_value=0, max_value=10**10 - 1), second=st.integers(0, 9))
def test_generated_codes_always_validate(seq: int, second: int) -> None:
    code = generate_in_house(seq, prefix=f"2{second}")
    assert len(code) == 13
    assert normalize_barcode(code) == code
    assert is_in_house(code)


@st.composite
def gtin_with_change(draw: st.DrawFn) -> tuple[str, str]:
    length = draw(st.sampled_from([8, 12, 13, 14]))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    code = body + gtin_check_digit(body)
    position = draw(st.integers(0, length - 1))
    digit = draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    return code, code[:position] + digit + code[position + 1 :]


@given(gtin_with_change())
def test_changing_any_one_digit_is_detected(pair: tuple[str, str]) -> None:
    valid, changed = pair
    assert normalize_barcode(valid) == valid
    with pytest.raises(InvalidBarcode):
        normalize_barcode(changed)
