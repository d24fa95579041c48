"""Wedge scanner vs a person typing: timed key events, no sleeps."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ui.wedge import WedgeConfig, WedgeScanner

_KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}


def press(target: QObject, char: str, at_ms: int) -> None:
    key = _KEYS.get(char) or Qt.Key(ord(char.upper()))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
        event.setTimestamp(at_ms)
        QApplication.sendEvent(target, event)


def type_text(target: QObject, text: str, start_ms: int, gap_ms: int) -> int:
    at = start_ms
    for char in text:
        press(target, char, at)
        at += gap_ms
    return at


def make(qtbot: QtBot, config: WedgeConfig | None = None
         ) -> tuple[QLineEdit, WedgeScanner, list[tuple[str, QObject]]]:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    scanner = WedgeScanner(config)
    scanner.install()
    qtbot.addWidget(edit)
    got: list[tuple[str, QObject]] = []
    scanner.scanned.connect(lambda code, target: got.append((code, target)))
    return edit, scanner, got


def test_fast_keys_ending_in_enter_are_a_scan_and_never_reach_the_box(qtbot: QtBot) -> None:
    edit, scanner, got = make(qtbot)
    entered: list[str] = []
    edit.returnPressed.connect(lambda: entered.append(edit.text()))
    try:
        at = type_text(edit, "4006381333931", 10_000, 8)
        press(edit, "\r", at)
        assert got == [("4006381333931", edit)]
        assert edit.text() == "" and entered == []
    finally:
        scanner.uninstall()


def test_a_person_typing_keeps_every_key_and_enter(qtbot: QtBot) -> None:
    edit, scanner, got = make(qtbot)
    entered: list[str] = []
    edit.returnPressed.connect(lambda: entered.append(edit.text()))
    try:
        at = type_text(edit, "milk 2", 10_000, 180)
        press(edit, "\r", at)
        assert edit.text() == "milk 2"
        assert entered == ["milk 2"]
        assert got == []
    finally:
        scanner.uninstall()


def test_a_quick_burst_then_a_pause_is_typing(qtbot: QtBot) -> None:
    """Two keys rolled quickly by a person are held only until the flush, then typed."""
    edit, scanner, got = make(qtbot)
    try:
        type_text(edit, "ab", 10_000, 20)
        assert scanner.held_text() == "ab"
        qtbot.waitUntil(lambda: edit.text() == "ab")
        assert got == []
    finally:
        scanner.uninstall()


def test_too_short_or_slow_suffix_is_not_a_scan(qtbot: QtBot) -> None:
    edit, scanner, got = make(qtbot)
    try:
        at = type_text(edit, "12", 10_000, 5)
        press(edit, "\r", at)  # fast but only two characters
        at = type_text(edit, "34567", at + 1000, 5)
        press(edit, "\r", at + 400)  # a person pressed Enter after a fast burst
        assert edit.text() == "1234567"
        assert got == []
    finally:
        scanner.uninstall()


def test_prefix_and_tab_suffix_are_configurable(qtbot: QtBot) -> None:
    config = WedgeConfig(prefix="]", suffix_keys=(Qt.Key.Key_Tab,), max_gap_ms=30)
    edit, scanner, got = make(qtbot, config)
    try:
        at = type_text(edit, "]A12345", 10_000, 10)
        press(edit, "\t", at)
        assert got == [("A12345", edit)]
        at = type_text(edit, "A12345", at + 1000, 10)  # no prefix: typed text
        press(edit, "\t", at)
        assert got == [("A12345", edit)]
        qtbot.waitUntil(lambda: edit.text() == "A12345")
    finally:
        scanner.uninstall()
