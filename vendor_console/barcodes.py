"""Barcodes: GTIN check digits (EAN-8, UPC-A, EAN-13, ITF-14) and in-house codes.

A code made only of digits with a GTIN length (8, 12, 13 or 14) is treated as a GTIN and must
carry a correct check digit: a mistyped or misread GTIN is refused, never stored. Anything else
that is printable ASCII without spaces, up to 32 characters, is an in-house (Code 128) code and
is accepted as is. Codes the shop prints itself are EAN-13s in the restricted-circulation range
(prefix 20-29), which no manufacturer's product can carry.
"""

from __future__ import annotations

from vendor_console.errors import InvalidBarcode

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_CODE_LENGTH = 32
IN_HOUSE_PREFIXES = tuple(f"2{d}" for d in range(10))  # "20".."29"
_IN_HOUSE_SEQ_DIGITS = 10
_GTIN_NAMES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "ITF-14"}


def gtin_check_digit(body: str) -> str:
    """The check digit for a GTIN without its last digit (weights 3,1,3… from the right)."""
    if not body.isascii() or not body.isdigit():
        raise ValueError(f"GTIN body must be digits, got {body!r}")
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def looks_like_gtin(code: str) -> bool:
    """Digits only, with a GTIN length: such a code must have a valid check digit."""
    return code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS


def is_valid_gtin(code: str) -> bool:
    return looks_like_gtin(code) and gtin_check_digit(code[:-1]) == code[-1]


def normalize_barcode(text: str) -> str:
    """Strip spaces and check the code; returns it as it should be stored and looked up.

    Raises :class:`InvalidBarcode` for an empty code, a GTIN with a wrong check digit, or a code
    with characters a scanner cannot produce.
    """
    code = "".join(text.split())
    if not code:
        raise InvalidBarcode("The barcode is empty.", field="barcode")
    if looks_like_gtin(code):
        expected = gtin_check_digit(code[:-1])
        if code[-1] != expected:
            kind = _GTIN_NAMES[len(code)]
            raise InvalidBarcode(
                f"The barcode {code} is not a valid {kind}: its last digit should be "
                f"{expected}, not {code[-1]}. Check for a typing mistake or scan it again.",
                field="barcode",
            )
        return code
    if len(code) > MAX_CODE_LENGTH:
        raise InvalidBarcode(
            f"The barcode is {len(code)} characters long; at most {MAX_CODE_LENGTH} are allowed.",
            field="barcode",
        )
    if not all(" " < ch <= "~" for ch in code):
        raise InvalidBarcode(
            "The barcode may only contain letters, digits and punctuation (no accents, "
            "symbols or control characters).",
            field="barcode",
        )
    return code


def gtin_equivalents(code: str) -> tuple[str, ...]:
    """The same GTIN written at other lengths (UPC-A ``036000291452`` is EAN-13
    ``0036000291452``), ``code`` itself first. Non-GTINs map to themselves only."""
    if not is_valid_gtin(code):
        return (code,)
    padded = code.zfill(14)
    others = tuple(
        padded[-n:] for n in GTIN_LENGTHS if n != len(code) and not padded[:-n].strip("0")
    )
    return (code, *others)


def generate_in_house(seq: int, *, prefix: str = "20") -> str:
    """An EAN-13 for the shop's own labels: ``prefix`` (20-29) + 10-digit ``seq`` + check."""
    if prefix not in IN_HOUSE_PREFIXES:
        raise ValueError(f"in-house prefix must be one of 20..29, got {prefix!r}")
    if not 0 <= seq < 10**_IN_HOUSE_SEQ_DIGITS:
        raise ValueError(f"in-house sequence out of range: {seq}")
    body = f"{prefix}{seq:0{_IN_HOUSE_SEQ_DIGITS}d}"
    return body + gtin_check_digit(body)


def is_in_house(code: str) -> bool:
    """True for a restricted-circulation EAN-13 (one this shop or another store assigned)."""
    return len(code) == 13 and code.startswith("2") and is_valid_gtin(code)
