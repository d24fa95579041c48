"""Golden bytes from the Epson ESC/POS reference: cut, drawer pulses, code pages, status."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from vendor_console.devices import commands


def test_cut_feeds_past_the_cutter_then_cuts() -> None:
    # ESC d 6, GS V 0 (full) / GS V 1 (partial): esc_ld.html, gs_cv.html function A
    assert commands.cut() == bytes.fromhex("1b 64 06 1d 56 00")
    assert commands.cut(partial=True) == bytes.fromhex("1b 64 06 1d 56 01")


def test_our_cut_is_what_python_escpos_sends() -> None:
    reference = Dummy()
    reference.cut()
    assert commands.cut() == reference.output


def test_real_time_drawer_pulse_dle_dc4() -> None:
    # DLE DC4 fn=1 m t: m 0 = pin 2, 1 = pin 5; t x 100 ms (dle_dc4_fn1.html)
    assert commands.drawer_pulse_realtime(2, 200) == bytes.fromhex("10 14 01 00 02")
    assert commands.drawer_pulse_realtime(5, 100) == bytes.fromhex("10 14 01 01 01")
    assert commands.drawer_pulse_realtime(2, 5000) == bytes.fromhex("10 14 01 00 08")  # t <= 8


def test_buffered_drawer_pulse_esc_p() -> None:
    # ESC p m t1 t2, units of 2 ms: 50 ms on / 500 ms off on pin 2 (esc_lp.html)
    assert commands.drawer_pulse_esc_p(2, 50, 500) == bytes.fromhex("1b 70 00 19 fa")
    assert commands.drawer_pulse_esc_p(5, 100, 100) == bytes.fromhex("1b 70 01 32 32")


def test_drawer_pin_must_be_2_or_5() -> None:
    with pytest.raises(ValueError, match="pin 2 or pin 5"):
        commands.drawer_pulse_realtime(3)


def test_code_page_selection_and_init() -> None:
    assert commands.INIT == b"\x1b@"
    assert commands.select_code_page(19) == bytes.fromhex("1b 74 13")  # PC858 (with €)
    assert commands.select_code_page(16) == bytes.fromhex("1b 74 10")  # WPC1252


def test_status_requests_and_processed_barrier() -> None:
    assert [commands.status_request(n) for n in (1, 2, 3, 4)] == [
        bytes.fromhex(f"10 04 0{n}") for n in (1, 2, 3, 4)]
    assert bytes.fromhex("1d 72 01") == commands.PROCESSED_BARRIER  # GS r 1
    with pytest.raises(ValueError):
        commands.status_request(5)


def test_python_escpos_3_1_forgets_the_code_page_after_esc_at() -> None:
    """The upstream bug our builder works around: after ESC @ the printer is back on its
    default page but python-escpos 3.1 sends no ESC t, so € prints as another character."""
    d = Dummy()
    d.charcode("CP858")
    d.text("€")
    d.hw("INIT")
    d.charcode("CP858")
    d.text("€")
    assert d.output == bytes.fromhex("1b 74 13 d5 1b 40 d5")  # no ESC t after ESC @
