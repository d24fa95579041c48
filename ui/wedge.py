"""Keyboard-wedge barcode scanners: recognised anywhere in the application by key timing.

A wedge scanner "types" the code much faster than a person (a few ms between keys) and ends
it with a suffix key (Enter or Tab). :class:`WedgeScanner` is an application event filter:

- printable key presses are held back for at most ``flush_after_ms``;
- a key arriving more than ``max_gap_ms`` after the previous one means a person is typing:
  the held keys are replayed to the widget they were meant for, in order, unchanged;
- the suffix arriving within ``max_gap_ms`` after at least ``min_length`` fast keys (starting
  with ``prefix``, if one is configured) is a scan: the held keys and the suffix are swallowed
  and :attr:`WedgeScanner.scanned` is emitted with the code and the widget that had focus.

So people typing lose nothing (at worst a key appears ``flush_after_ms`` late) and a scan
never leaks into a search box. Key timestamps come from the events (``QKeyEvent.timestamp``);
events without one use the injectable ``clock`` (tests pass both).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

_BLOCKING_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True, slots=True)
class WedgeConfig:
    max_gap_ms: int = 50  # the longest pause between two keys of one scan
    min_length: int = 4  # shortest code (prefix excluded) that counts as a scan
    suffix_keys: tuple[Qt.Key, ...] = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
    prefix: str = ""  # characters the scanner is programmed to send first (stripped)
    flush_after_ms: int = 80  # hand held keys back this long after the last one

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0 or self.min_length <= 0 or not self.suffix_keys:
            raise ValueError("a wedge needs a positive gap, a minimum length and a suffix")


def _monotonic_ms() -> int:
    return time.monotonic_ns() // 1_000_000


class WedgeScanner(QObject):
    scanned = Signal(str, QObject)  # the code, the widget that had the keyboard focus

    def __init__(self, config: WedgeConfig | None = None, *,
                 clock: Callable[[], int] = _monotonic_ms,
                 accepts: Callable[[QObject], bool] | None = None,
                 parent: QObject | None = None) -> None:
        """``accepts(widget)`` says whether keys for that widget may be a scan (default: all);
        keys for other widgets are never held, e.g. a PIN entry or another page."""
        super().__init__(parent)
        self.config = config or WedgeConfig()
        self._clock = clock
        self._accepts = accepts
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._last_ms = 0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.enabled = True

    def install(self, app: QApplication | None = None) -> None:
        instance = app or QApplication.instance()
        if instance is not None:
            instance.installEventFilter(self)

    def uninstall(self, app: QApplication | None = None) -> None:
        self.flush()
        instance = app or QApplication.instance()
        if instance is not None:
            instance.removeEventFilter(self)

    def configure(self, config: WedgeConfig) -> None:
        self.flush()
        self.config = config

    def held_text(self) -> str:
        return "".join(event.text() for _, event in self._held)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (self._replaying or not self.enabled or event.type() != QEvent.Type.KeyPress
                or not watched.isWidgetType() or not isinstance(event, QKeyEvent)):
            return False
        if self._accepts is not None and not self._accepts(watched):
            self.flush()
            return False
        return self._key_press(watched, event)

    def _key_press(self, target: QObject, event: QKeyEvent) -> bool:
        now = event.timestamp() or self._clock()
        fast = bool(self._held) and now - self._last_ms <= self.config.max_gap_ms
        if self._held and not fast:
            self.flush()
        key, text = event.key(), event.text()
        if key in self.config.suffix_keys and not event.modifiers() & _BLOCKING_MODIFIERS:
            code = self.held_text()
            prefix = self.config.prefix
            if (fast and code.startswith(prefix)
                    and len(code) - len(prefix) >= self.config.min_length):
                self._held.clear()
                self._timer.stop()
                self.scanned.emit(code[len(prefix):], target)
                return True
            self.flush()
            return False
        printable = len(text) == 1 and text.isprintable() and not event.isAutoRepeat()
        if not printable or event.modifiers() & _BLOCKING_MODIFIERS:
            self.flush()
            return False
        self._held.append((target, QKeyEvent(event.type(), event.key(), event.modifiers(),
                                             text, False, event.count())))
        self._last_ms = now
        self._timer.start(self.config.flush_after_ms)
        return True

    def flush(self) -> None:
        """Replay the held keys to their widgets (a person was typing)."""
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for target, event in held:
                if shiboken6.isValid(target):
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False
