"""Codes for generated catalogs: in-store EAN-13 barcodes (prefix 20-29) and SKUs."""

from __future__ import annotations


def ean13_check_digit(first12: str) -> str:
    """The EAN-13 check digit for 12 digits (weights 1,3,1,3,… from the left)."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError(f"an EAN-13 body is 12 digits, not {first12!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def in_store_ean13(prefix: int, number: int) -> str:
    """An EAN-13 in the GS1 restricted-circulation range ``prefix`` (20-29), check digit added.

    ``number`` (0 <= number < 10**10) fills the remaining ten digits, so each prefix holds ten
    billion distinct codes.
    """
    if not 20 <= prefix <= 29:
        raise ValueError("in-store barcodes use prefixes 20 to 29")
    if not 0 <= number < 10**10:
        raise ValueError("barcode number out of range")
    body = f"{prefix:02d}{number:010d}"
    return body + ean13_check_digit(body)


def is_valid_ean13(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == code[12]
