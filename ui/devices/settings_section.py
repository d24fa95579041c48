"""Settings › Devices: printers, scanners and the customer display, built once the shop
database is open (the Settings page may be shown before)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sell.context import current_core


class DevicesSection(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesSection")
        self.printers: QWidget | None = None
        self.scanners: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.waiting = QLabel("Devices: waiting for the shop database…", self)
        self._layout.addWidget(self.waiting)
        self.core_ready()

    def core_ready(self) -> None:
        """Build the device settings once the core is open (called on status refreshes)."""
        core = current_core()
        if core is None or self.printers is not None:
            return
        from ui.devices.printer_settings import PrinterSettings
        from ui.devices.scanner_display_settings import ScannerDisplaySettings

        self.waiting.hide()
        self.printers = PrinterSettings(core, self)
        self.scanners = ScannerDisplaySettings(core, self)
        self._layout.addWidget(self.printers)
        self._layout.addWidget(self.scanners)
