"""Settings › Devices: printers, scanners and the customer display, built once the shop
database is open (the Settings page may be shown before). Changing them needs someone allowed
to change settings, or a manager's PIN; anyone else sees them read-only with the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sell.context import current_core

if TYPE_CHECKING:
    from ui.devices.device_access import DeviceAccess


class DevicesSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesSection")
        self.access: DeviceAccess | None = None
        self.printers: QWidget | None = None
        self.scanners: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.waiting = QLabel("Devices: waiting for the shop database…", self)
        self._layout.addWidget(self.waiting)
        self.core_ready()

    def core_ready(self) -> None:
        """Build the device settings once the core is open, and re-check who may change them
        (called on status refreshes, e.g. after someone signs in)."""
        if self.access is not None:
            self.access.refresh()
            return
        core = current_core()
        if core is None:
            return
        from ui.devices.device_access import DeviceAccess
        from ui.devices.printer_settings import PrinterSettings
        from ui.devices.scanner_display_settings import ScannerDisplaySettings

        self.waiting.hide()
        self.access = DeviceAccess(core, self)
        self.printers = PrinterSettings(core, self.access, self)
        self.scanners = ScannerDisplaySettings(core, self.access, self)
        self._layout.addWidget(self.access)
        self._layout.addWidget(self.printers)
        self._layout.addWidget(self.scanners)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.access is not None and not event.spontaneous():
            self.access.forget_approval()  # another page shown: the PIN approval ends
        super().hideEvent(event)
