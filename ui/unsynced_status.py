"""Status-bar segment: counter sales not yet acknowledged by the marketplace.

The count is read on a worker (``vendor_console.services.unsynced``) whenever the window
refreshes its status (after each sale, refund and on the status timer); a refresh asked for
while one runs is done once that one ends. Nothing heavy is imported before the shop opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.sell.context import current_core
from ui.status_bar import StatusSegment
from ui.workers import run_in_background

if TYPE_CHECKING:
    from vendor_console.services.unsynced import UnsyncedSales


def unsynced_text(counts: UnsyncedSales) -> str:
    if counts.total == 0:
        return "All sales synced"
    failed = f", {counts.failed} failed" if counts.failed else ""
    return f"Unsynced sales: {counts.total}{failed}"


class UnsyncedSegment(StatusSegment):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("statusUnsynced", "Counter sales not yet sent to the marketplace",
                         parent)
        self.counts: UnsyncedSales | None = None
        self._running = False
        self._again = False
        self.setVisible(False)  # until there is a shop to count in

    def refresh(self) -> None:
        core = current_core()
        if core is None:
            return
        if self._running:
            self._again = True
            return
        from vendor_console.services.unsynced import unsynced_sales

        self._running, self._again, db = True, False, core.db
        run_in_background(lambda: unsynced_sales(db), on_success=self._show,
                          on_failure=lambda _e, m: self.set_value(m, ok=False),
                          on_done=self._over, owner=self)

    def _show(self, counts: UnsyncedSales) -> None:
        self.counts = counts
        self.set_value(unsynced_text(counts), ok=counts.failed == 0,
                       detail=f"{counts.pending} waiting to be sent, {counts.failed} failed")
        self.setVisible(True)

    def _over(self) -> None:
        self._running = False
        if self._again:
            self.refresh()
