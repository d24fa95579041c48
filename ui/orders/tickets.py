"""The kitchen/packing ticket on accept: which printers print it (a checkable menu, one entry
per printer) and printing it through the device runtime. Reads and writes run on workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ui.devices.bridge import current_runtime
from ui.workers import run_in_background
from vendor_console.services.order_queue import OrderCard
from vendor_console.settings import Settings

if TYPE_CHECKING:
    from vendor_console.services.counter import CoreLike


class TicketPrinters(QToolButton):
    def __init__(self, core: CoreLike | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketPrinters")
        self.setText("Tickets on accept")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.core = core
        self.settings = None if core is None else core.settings
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self.menu_.aboutToShow.connect(self.refresh)

    def refresh(self) -> None:
        from vendor_console.order_ticket_settings import printer_choices

        core = self.core
        if core is None:
            return
        run_in_background(lambda: printer_choices(core.db, core.settings),
                          on_success=self._fill, owner=self)

    def _fill(self, choices: list[tuple[str, bool]]) -> None:
        self.menu_.clear()
        if not choices:
            self.menu_.addAction("No printer set up (Settings › Printers)").setEnabled(False)
        for name, on in choices:
            action = QAction(name, self.menu_)
            action.setCheckable(True)
            action.setChecked(on)
            action.toggled.connect(lambda checked, n=name: self.choose(n, checked))
            self.menu_.addAction(action)

    def choose(self, name: str, on: bool) -> None:
        from vendor_console.order_ticket_settings import set_ticket_printer

        settings = self.settings
        if settings is not None:
            run_in_background(lambda: set_ticket_printer(settings, name, on), owner=self)


def print_on_accept(settings: Settings | None, card: OrderCard, prep_minutes: int) -> None:
    """Queue the ticket on the chosen printers (nothing when the devices are not running)."""
    runtime = current_runtime()
    if runtime is None or not runtime.running or settings is None:
        return
    from vendor_console.order_tickets import print_ticket

    run_in_background(lambda: print_ticket(runtime, settings, card, prep_minutes))
