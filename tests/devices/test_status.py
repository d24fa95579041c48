"""DLE EOT 1-4 replies decoded with the Epson bit tables (values observed on emupos too)."""

from __future__ import annotations

import pytest

from vendor_console.devices.status import decode, is_dle_eot_reply, is_gs_r_reply, unreachable


def test_idle_printer_is_ready() -> None:
    status = decode(0x12, 0x12, 0x12, 0x12)
    assert status.ready and status.online
    assert status.summary() == "Printer ready"


def test_paper_out() -> None:
    status = decode(0x1A, 0x32, 0x12, 0x7E)  # offline; stopped by paper end; sensor: no paper
    assert not status.ready and not status.online
    assert status.paper_out and status.paper_near_end
    assert status.summary() == "Printer: out of paper"


def test_paper_near_end_still_prints() -> None:
    status = decode(0x12, 0x12, 0x12, 0x1E)
    assert status.ready and status.paper_near_end and not status.paper_out
    assert "paper running low" in status.summary()


def test_cover_open() -> None:
    status = decode(0x1A, 0x16, 0x12, 0x12)
    assert status.cover_open and not status.ready
    assert status.summary() == "Printer: cover open"


def test_error_causes() -> None:
    status = decode(0x1A, 0x52, 0x1A, 0x12)  # error bit; autocutter error
    assert status.error and status.cutter_error and not status.ready
    assert "cutter jammed" in status.summary()
    assert decode(0x1A, 0x52, 0x32, 0x12).unrecoverable_error


def test_offline_without_a_named_cause() -> None:
    status = decode(0x1A, 0x12, 0x12, 0x12)
    assert not status.ready and status.summary() == "Printer offline"


def test_drawer_sensor_polarity_is_a_setting() -> None:
    pin3_high = decode(0x16, 0x12, 0x12, 0x12)
    assert pin3_high.drawer_open(open_when_high=True)
    assert not pin3_high.drawer_open(open_when_high=False)
    pin3_low = decode(0x12, 0x12, 0x12, 0x12)
    assert pin3_low.drawer_open(open_when_high=False)


def test_reply_kinds_are_told_apart_by_bit_pattern() -> None:
    assert is_dle_eot_reply(0x12) and is_dle_eot_reply(0x7E)
    assert not is_dle_eot_reply(0x00) and not is_dle_eot_reply(0x14)  # GS r / ASB first byte
    assert is_gs_r_reply(0x00) and is_gs_r_reply(0x0F) and not is_gs_r_reply(0x12)
    with pytest.raises(ValueError, match="not a DLE EOT 2 reply"):
        decode(0x12, 0x00, 0x12, 0x12)


def test_a_printer_that_does_not_answer_is_not_ready() -> None:
    status = unreachable("connection refused")
    assert not status.ready and status.summary() == "Printer not answering (connection refused)"
