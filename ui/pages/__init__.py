"""The pages of the main window, in navigation order.

Each page lives in its own module exposing ``create_page() -> QWidget``. Modules are imported
only when a page is first shown, so a heavy page (charts) costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from vendor_console.status import ShellStatus


@runtime_checkable
class StatusAware(Protocol):
    """A page that shows part of the shell status (e.g. Settings shows the database path)."""

    def show_status(self, status: ShellStatus) -> None: ...


@runtime_checkable
class ThemeChooser(Protocol):
    """A page where the user picks the theme; emits the chosen name ("light"/"dark")."""

    @property
    def theme_chosen(self) -> SignalInstance: ...


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    title: str
    module: str  # imported lazily; must define create_page() -> QWidget

    def create(self) -> QWidget:
        factory: Callable[[], QWidget] = importlib.import_module(self.module).create_page
        page = factory()
        page.setObjectName(f"page_{self.key}")
        return page


PAGES: tuple[PageSpec, ...] = (
    PageSpec("sell", "Sell", "ui.pages.sell"),
    PageSpec("orders", "Orders", "ui.pages.orders"),
    PageSpec("catalog", "Catalog", "ui.pages.catalog"),
    PageSpec("inventory", "Inventory", "ui.pages.inventory"),
    PageSpec("analytics", "Analytics", "ui.pages.analytics"),
    PageSpec("settings", "Settings", "ui.pages.settings"),
    PageSpec("sync", "Sync", "ui.pages.sync"),
)
