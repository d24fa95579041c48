"""Customer display command sets (golden bytes, and over a pty) and serial scanners over a pty
pair at 8N1 (and emupos's own serial scanner)."""

from __future__ import annotations

import asyncio
import os
import tty

import pytest

from tests.devices.emupos import Emupos
from vendor_console.devices.display import (
    CustomerDisplay,
    DisplayProfile,
    last_item_and_total,
    show,
    two_sides,
)
from vendor_console.devices.scanner_serial import SerialScanner


def test_cd5220_two_lines() -> None:
    data = show(DisplayProfile(command_set="cd5220", codec="ascii"), "Sourdough", "TOTAL 4.50")
    assert data == (b"\x1b@\x0c" + b"\x1bQA" + b"Sourdough           " + b"\r"
                    + b"\x1bQB" + b"TOTAL 4.50          " + b"\r")


def test_escpos_display_mode_with_code_page() -> None:
    data = show(DisplayProfile(), "Crème brûlée", "4,50 €")
    assert data == (b"\x1b@\x1bt\x13" + b"\x1f\x01" + b"\x0c"
                    + b"\x1f$\x01\x01" + "Crème brûlée        ".encode("cp858")
                    + b"\x1f$\x01\x02" + "4,50 €              ".encode("cp858"))


def test_display_without_accents_spells_them_plainly() -> None:
    data = show(DisplayProfile(command_set="cd5220", codec="ascii"), "Crème brûlée", "4,50 €")
    assert b"Creme brulee" in data and b"4,50 EUR" in data


def test_last_item_and_total_fit_twenty_columns() -> None:
    assert two_sides("A very long product name", "12,50 €", 20) == "A very long  12,50 €"
    data = last_item_and_total(DisplayProfile(command_set="cd5220", codec="cp858"),
                               "Sourdough loaf", "4,50 €", "12,00 €")
    assert b"\x1bQASourdough loa 4,50 \xd5\r" in data
    assert b"\x1bQBTOTAL        12,00 \xd5\r" in data


def test_display_update_reaches_the_serial_port() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        display = CustomerDisplay(DisplayProfile(url=f"serial://{os.ttyname(slave)}?baud=9600",
                                                 command_set="cd5220", codec="ascii"))
        data = show(display.profile, "Hello", "World")
        asyncio.run(display.send(data))
        got = b""
        while len(got) < len(data):
            got += os.read(master, 1024)
        assert got == data
    finally:
        os.close(master)
        os.close(slave)


def test_scanner_splits_codes_on_the_suffix_and_strips_the_prefix() -> None:
    scanner = SerialScanner("/dev/null", prefix=b"]E0")
    assert scanner.feed(b"]E04006381333931\r]E0590123") == ["4006381333931"]
    assert scanner.feed(b"4123457\r\n") == ["5901234123457"]
    with pytest.raises(ValueError):
        SerialScanner("/dev/null", suffix=b"")


def test_serial_scanner_through_a_pty_pair_8n1() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)

    async def scenario() -> list[str]:
        scanner = SerialScanner(os.ttyname(slave), 9600)
        await scanner.open()
        try:
            os.write(master, b"4006381333931\rABC-123/x\r")
            codes = []
            async for code in scanner.scans():
                codes.append(code)
                if len(codes) == 2:
                    return codes
            return codes
        finally:
            await scanner.close()

    try:
        assert asyncio.run(scenario()) == ["4006381333931", "ABC-123/x"]
    finally:
        os.close(master)
        os.close(slave)


def test_emupos_serial_scanner(emupos: Emupos) -> None:
    async def scenario() -> str:
        scanner = SerialScanner(emupos.scanner_path, 9600)
        await scanner.open()
        try:
            emupos.call("POST", "/devices/lane2/scans",
                        {"data": "5901234123457", "countdown_seconds": 0})
            async for code in scanner.scans():
                return code
            return ""
        finally:
            await scanner.close()

    assert asyncio.run(scenario()) == "5901234123457"


def test_a_price_spelled_plainly_still_fits_the_line() -> None:
    """€ becomes EUR on an ASCII display before the line is fitted: the cents stay on it."""
    data = last_item_and_total(DisplayProfile(command_set="cd5220", codec="ascii"),
                               "Apricot jam", "€6.00", "€10.50")
    assert b"\x1bQAApricot jam  EUR6.00\r" in data
    assert b"\x1bQBTOTAL       EUR10.50\r" in data
