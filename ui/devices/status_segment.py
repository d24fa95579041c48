"""The printer segment of the status bar: the live status of the default printer (online,
cover open, paper low or out, offline, receipts waiting) from the device thread."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.devices.bridge import bridge, current_runtime
from ui.status_bar import StatusSegment


class PrinterSegment(StatusSegment):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("statusPrinter", "Receipt printer", parent)
        self._live = False
        bridge().printer_status.connect(self.show_live)
        if bridge().last_status is not None:
            self.show_live(bridge().last_status)

    def show_live(self, event: object) -> None:
        if current_runtime() is None:  # a late event from a runtime that has stopped
            return
        text = str(getattr(event, "text", ""))
        status = getattr(event, "status", None)
        printer_id = str(getattr(event, "printer_id", ""))
        self._live = bool(printer_id)
        ok = status is None or not printer_id or bool(getattr(status, "ready", False))
        self.set_value(text, ok=ok, detail=getattr(status, "detail", None) or None)

    def show_shell(self, text: str) -> None:
        """The core's phrase, until the device thread reports the printer itself."""
        if not self._live:
            self.set_value(text, ok=True)
