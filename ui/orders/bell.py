"""Rings once for each new marketplace order: a chime (QSoundEffect, or the system beep where
there is no audio output) and a system tray message when the window is not in front.

The bell remembers every order it has rung for, so an order delivered twice (a replayed feed
page, a refresh after a local action, a restart of the page) never rings twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from ui.theme import icon_path, resources_dir
from vendor_console.services.order_queue import OrderCard

SOUND = resources_dir() / "sounds" / "new_order.wav"


def _sound_effect(parent: QObject) -> QObject | None:
    """A QSoundEffect for the chime, or None when Qt Multimedia or an audio output is missing
    (then the system beep stands in)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except ImportError:  # no audio libraries on this machine
        return None
    if not QMediaDevices.audioOutputs():
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(SOUND)))
    return effect


class NewOrderBell(QObject):
    rang = Signal(object)  # the OrderCard rung for

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._rung: set[str] = set()
        self._effect: QObject | None = None
        self._effect_ready = False
        self._tray: QSystemTrayIcon | None = None
        self.rings = 0
        self.tray_messages: list[str] = []

    def ring_for(self, orders: Iterable[OrderCard]) -> list[OrderCard]:
        """Ring for each PENDING order not rung for before; returns those rung for."""
        fresh = [o for o in orders if o.status == "PENDING" and o.id not in self._rung]
        for order in fresh:
            self._rung.add(order.id)
            self.rings += 1
            self._chime()
            if not self._window.window().isActiveWindow():
                self._notify(order)
            self.rang.emit(order)
        return fresh

    def known(self, order_id: str) -> bool:
        return order_id in self._rung

    def _chime(self) -> None:
        if not self._effect_ready:
            self._effect = _sound_effect(self)
            self._effect_ready = True
        if self._effect is not None:
            self._effect.play()  # type: ignore[attr-defined]
        else:
            QApplication.beep()

    def _notify(self, order: OrderCard) -> None:
        text = f"New order {order.number}" + (f" from {order.customer_name}"
                                              if order.customer_name else "")
        self.tray_messages.append(text)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(QIcon(str(icon_path("vendor-console-512.png"))), self)
            self._tray.show()
        self._tray.showMessage("Vendor Console", text,
                               QSystemTrayIcon.MessageIcon.Information, 10_000)
