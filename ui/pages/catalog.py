"""Catalog: products, variants, prices and barcodes (ui/catalog), once the database is open."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.core_host import CoreHost


def _build(core: object, parent: QWidget) -> QWidget:
    from ui.catalog.screen import CatalogScreen  # loads SQLAlchemy: after the first paint

    return CatalogScreen(core, parent)  # type: ignore[arg-type]


def create_page() -> QWidget:
    return CoreHost(_build)
