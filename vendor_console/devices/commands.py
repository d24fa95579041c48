"""ESC/POS command bytes, as the Epson ESC/POS reference gives them (golden-tested).

References: download4.epson.biz/sec_pubs/pos/reference_en/escpos/ — ``esc_atsign.html``
(ESC @), ``esc_lt.html`` (ESC t), ``gs_cv.html`` (GS V), ``esc_lp.html`` (ESC p),
``dle_dc4_fn1.html`` (DLE DC4 fn 1), ``dle_eot.html`` (DLE EOT), ``gs_lr.html`` (GS r).
"""

from __future__ import annotations

ESC, GS, DLE = b"\x1b", b"\x1d", b"\x10"
INIT = ESC + b"@"  # ESC @: initialize; resets the code page to the printer's default


def select_code_page(n: int) -> bytes:
    """ESC t n: select character code table ``n`` (19 = PC858 on Epson)."""
    if not 0 <= n <= 255:
        raise ValueError("code page number is 0-255")
    return ESC + b"t" + bytes([n])


def cut(*, partial: bool = False, feed_lines: int = 6) -> bytes:
    """Feed past the cutter then cut: ESC d n, GS V 0 (full) or GS V 1 (partial)."""
    return ESC + b"d" + bytes([feed_lines]) + GS + b"V" + (b"\x01" if partial else b"\x00")


def drawer_pin_code(pin: int) -> int:
    if pin not in (2, 5):
        raise ValueError("the drawer is on connector pin 2 or pin 5")
    return 0 if pin == 2 else 1


def drawer_pulse_realtime(pin: int, on_ms: int = 100) -> bytes:
    """DLE DC4 1 m t: real-time pulse (runs even when the paper is out); t = on time / 100 ms."""
    t = min(8, max(1, round(on_ms / 100)))
    return DLE + b"\x14\x01" + bytes([drawer_pin_code(pin), t])


def drawer_pulse_esc_p(pin: int, on_ms: int = 50, off_ms: int = 500) -> bytes:
    """ESC p m t1 t2: buffered pulse (fires after anything queued before it); units of 2 ms."""
    t1 = min(255, max(1, on_ms // 2))
    t2 = min(255, max(t1, off_ms // 2))
    return ESC + b"p" + bytes([drawer_pin_code(pin), t1, t2])


def status_request(n: int) -> bytes:
    """DLE EOT n (n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper)."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT takes n = 1-4")
    return DLE + b"\x04" + bytes([n])


# GS r 1: transmit the paper sensor status. Sent after a job, its reply means the printer has
# processed everything before it: our "printed" barrier.
PROCESSED_BARRIER = GS + b"r\x01"
DRAWER_STATE_REQUEST = status_request(1)  # bit 2 = drawer kick-out connector pin 3
