"""Catalog: products, variants, prices and barcodes (placeholder)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.placeholder import PlaceholderPage


def create_page() -> QWidget:
    return PlaceholderPage(
        heading="Catalog",
        purpose="Keep your products, variants, prices and barcodes in one place.",
        features=(
            "Add and edit products and their variants, with or without a connection",
            "Set prices, tax rates, units and barcodes",
            "Import a catalog exported from Square or Shopify",
        ),
        arriving_with="the catalog work",
    )
