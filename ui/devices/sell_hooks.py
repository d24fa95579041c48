"""Connect the Sell page to the devices: the saved wedge settings, serial scans, printing
outcomes and the customer display / second screen. One call from ``SellPage._ready``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.devices.bridge import bridge
from ui.devices.customer_feed import CustomerFeed
from ui.devices.printing import PrintOutcomes
from ui.devices.wedge_config import wedge_config
from ui.workers import run_in_background
from vendor_console.devices.device_settings import DeviceSettings, load
from vendor_console.devices.print_queue import PrintJobRecord, PrintQueue

if TYPE_CHECKING:
    from ui.sell.page import SellPage


class DeviceHooks(QObject):
    """Lives as a child of the Sell page: its connections to the bridge end with it."""

    def __init__(self, page: SellPage) -> None:
        super().__init__(page)
        sell, services = page.sell, page.services
        assert sell is not None and services is not None
        self._page = page
        self.outcomes = PrintOutcomes(sell, sell.tell_also)
        self.feed: CustomerFeed | None = None
        bridge().scanned.connect(self.serial_scan)
        bridge().problem.connect(sell.tell)
        bridge().wedge_changed.connect(page.scanner.configure)
        settings, db = services.settings, services.db
        run_in_background(lambda: load(settings), on_success=self._loaded, owner=self)
        # Receipts whose printing was uncertain when the app last stopped: ask about each
        # (they are never sent again on their own).
        run_in_background(lambda: PrintQueue(db).jobs(status="unknown"), owner=self,
                          on_success=self._ask_uncertain)

    def _ask_uncertain(self, jobs: list[PrintJobRecord]) -> None:
        for job in jobs:
            if job.id not in self.outcomes.asking:
                self.outcomes.ask(job.id, job.last_error or "This receipt may or may not have "
                                  "printed.")

    def _loaded(self, values: DeviceSettings) -> None:
        self._page.scanner.configure(wedge_config(values))
        sell = self._page.sell
        assert sell is not None
        self.feed = CustomerFeed(sell.model, second_screen=values.second_screen, parent=self)

    def serial_scan(self, code: str) -> None:
        """A code from the serial scanner: where a wedge scan would go."""
        self._page._scanned(code, self._page)


def attach_devices(page: SellPage) -> DeviceHooks:
    return DeviceHooks(page)
