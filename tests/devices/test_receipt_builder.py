"""Receipt documents to ESC/POS bytes: code page, widths, localized money, codes, cut."""

from __future__ import annotations

import re

import pytest
from PIL import Image, ImageDraw

from tests.devices.samples import sample_receipt
from vendor_console.devices import commands
from vendor_console.devices.profile import PrinterProfile
from vendor_console.devices.receipt_builder import (
    build_code_page_test,
    build_receipt,
    build_test_page,
    prepare_logo,
)
from vendor_console.devices.receipt_layout import plain_text
from vendor_console.errors import ValidationError

ESC_T_19 = commands.select_code_page(19)


def _text(job: bytes, codec: str = "cp858") -> str:
    """The printable text of a job: control sequences removed, decoded with the code page."""
    printable = re.sub(rb"\x1b[!Eat@]\S?|\x1d\(k..1[ACEPQ].|\x1dV.|\x1bd.", b"", job)
    return printable.decode(codec, errors="replace")


def _every_init_followed_by_code_page(job: bytes, select: bytes) -> bool:
    starts = [m.start() for m in re.finditer(re.escape(commands.INIT), job)]
    return bool(starts) and all(job[i + 2:i + 2 + len(select)] == select for i in starts)


def test_job_starts_with_init_and_the_printers_code_page() -> None:
    job = build_receipt(sample_receipt(), PrinterProfile())
    assert job.startswith(commands.INIT + ESC_T_19)
    assert _every_init_followed_by_code_page(job, ESC_T_19)


def test_euro_pound_and_accents_use_the_fixed_code_page() -> None:
    job = build_receipt(sample_receipt(), PrinterProfile(code_page="CP858"))
    assert "€".encode("cp858") == b"\xd5" and b"\xd5" in job  # € on PC858
    assert "£".encode("cp858") in job
    assert "Crème brûlée".encode("cp858") in job
    assert "Smørrebrød".encode("cp858") in job
    assert b"\x1bt" not in job.replace(ESC_T_19, b"")  # never any other ESC t (no MagicEncode)


def test_a_different_code_page_changes_the_selection_and_the_bytes() -> None:
    job = build_receipt(sample_receipt(), PrinterProfile(code_page="WPC1252"))
    assert job.startswith(commands.INIT + commands.select_code_page(16))
    assert "€".encode("cp1252") in job and b"\xd5" not in job


def test_code_page_is_reselected_after_every_init_in_the_code_page_test() -> None:
    job = build_code_page_test(PrinterProfile())
    assert job.count(commands.INIT) == 2  # start, and the reset after the tables
    assert _every_init_followed_by_code_page(job, ESC_T_19)


@pytest.mark.parametrize(("width", "columns"), [(58, 32), (80, 48)])
def test_lines_fit_the_paper_width(width: int, columns: int) -> None:
    profile = PrinterProfile(width_mm=width)
    assert profile.columns == columns
    lines = plain_text(sample_receipt(), columns).splitlines()
    assert max(len(line) for line in lines) == columns
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert total.endswith("7,50 €") and len(total) == columns
    job_text = _text(build_receipt(sample_receipt(), profile))
    assert all(len(line) <= columns for line in job_text.splitlines())


def test_money_and_dates_follow_the_shop_locale() -> None:
    german = plain_text(sample_receipt(locale="de_DE", timezone="Europe/Berlin"), 48)
    assert "7,50 €" in german and "22.11.26, 11:05" in german
    irish = plain_text(sample_receipt(locale="en_IE", timezone="Europe/Dublin"), 48)
    assert "€7.50" in irish and "22/11/2026, 10:05" in irish
    british = plain_text(sample_receipt(locale="en_GB", currency="GBP"), 48)
    assert "£7.50" in british


def test_receipt_shows_lines_discounts_taxes_tenders_and_change() -> None:
    text = plain_text(sample_receipt(), 48)
    for expected in ("Café Zoë", "Receipt A-000123", "Served by Cal", "2 x 2,25 €",
                     "Discount", "-0,20 €", "Subtotal", "Cash", "10,00 €", "Change", "2,50 €",
                     "incl. tax 20 % of 7,50 €", "1,25 €", "Thank you!"):
        assert expected in text, expected


def test_tax_added_on_top_is_listed_before_the_total() -> None:
    text = plain_text(sample_receipt(prices_include_tax=False), 48)
    assert text.index("Tax 20 %") < text.index("TOTAL")
    assert "incl. tax" not in text


def test_receipt_number_as_native_qr_or_code128() -> None:
    qr = build_receipt(sample_receipt(), PrinterProfile(barcode="qr"))
    # GS ( k fn 80 (store data) with the receipt number, then fn 81 (print)
    assert b"\x1d(k\x0b\x001P0A-000123" in qr and b"\x1d(k\x03\x001Q0" in qr
    code128 = build_receipt(sample_receipt(), PrinterProfile(barcode="code128"))
    assert b"\x1dkI\x0a{BA-000123" in code128  # GS k m=73 n=10 "{B" + number
    none = build_receipt(sample_receipt(), PrinterProfile(barcode="none"))
    assert b"\x1d(k" not in none and b"\x1dk" not in none


def test_cut_setting() -> None:
    assert build_receipt(sample_receipt(), PrinterProfile()).endswith(commands.cut())
    assert build_receipt(sample_receipt(), PrinterProfile(cut="partial")).endswith(
        commands.cut(partial=True))
    assert b"\x1dV" not in build_receipt(sample_receipt(), PrinterProfile(cut="none"))


def test_test_page_names_the_printer_and_shows_special_characters() -> None:
    text = _text(build_test_page(PrinterProfile(name="Front counter", width_mm=58)))
    assert "Front counter" in text and "58 mm, 32 columns, CP858" in text and "€ 1,50" in text


def test_refund_receipt_says_so() -> None:
    text = plain_text(sample_receipt(kind="REFUND", original_receipt="A-000100"), 48)
    assert "REFUND A-000123" in text and "Refund of receipt A-000100" in text


def test_bad_profiles_are_refused_with_a_readable_message() -> None:
    with pytest.raises(ValidationError, match="58 mm or 80 mm"):
        PrinterProfile(width_mm=76).validated()
    with pytest.raises(ValidationError, match="Unknown code page"):
        PrinterProfile(code_page="UTF-8").validated()
    profile = PrinterProfile(name="Bar", url="tcp://10.0.0.5:9100", width_mm=58)
    assert PrinterProfile.from_json(profile.to_json()) == profile


def test_logo_as_raster_graphics_scaled_to_the_paper() -> None:
    logo = Image.new("1", (200, 60), 1)
    ImageDraw.Draw(logo).rectangle([2, 2, 197, 57], outline=0, width=3)
    job = build_receipt(sample_receipt(), PrinterProfile(), logo)
    # GS v 0 m=0, 25 bytes (200 dots) per row, 60 rows: after ESC @ ESC t, before the text
    assert job.index(bytes.fromhex("1d 76 30 00 19 00 3c 00")) < job.index("Café".encode("cp858"))
    wide = Image.new("L", (1000, 100), 0)
    small = prepare_logo(wide, PrinterProfile(width_mm=58))
    assert small.size == (192, 19) and small.mode == "1"
