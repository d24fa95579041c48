"""What every Inventory tab shares: the services, who is signed in, messages, writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.workers import run_in_background
from vendor_console import money
from vendor_console.permissions import Actor
from vendor_console.services.catalog_console import CatalogConsole
from vendor_console.services.counter import CoreLike


class InventoryContext(QObject):
    message = Signal(str)
    written = Signal()  # a write finished, whatever its outcome (tests wait on it)

    def __init__(self, core: CoreLike, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.console = CatalogConsole(core.db)

    def actor(self) -> Actor | None:
        actor = self.core.signed_in
        if actor is None:
            self.message.emit("Sign in on the Sell page to change stock.")
        return actor

    def money(self, amount: int) -> str:
        terms = self.console.terms
        return money.format_money(amount, terms.currency, terms.locale)

    def read(self, work: Callable[[], Any], then: Callable[[Any], None], owner: QObject) -> None:
        run_in_background(work, on_success=then, owner=owner,
                          on_failure=lambda _e, m: self.message.emit(m))

    def write(self, work: Callable[[], Any], what: str, then: Callable[[Any], None] | None,
              owner: QObject) -> None:
        def succeeded(result: Any) -> None:
            self.message.emit(f"{what}: done.")
            if then is not None:
                then(result)

        run_in_background(work, on_success=succeeded, owner=owner,
                          on_failure=lambda _e, m: self.message.emit(m),
                          on_done=self.written.emit)
