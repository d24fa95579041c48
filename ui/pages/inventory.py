"""Inventory: stock levels and the movement ledger (placeholder)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.placeholder import PlaceholderPage


def create_page() -> QWidget:
    return PlaceholderPage(
        heading="Inventory",
        purpose="Know what is on the shelf, and why it changed.",
        features=(
            "See what is on hand, including counter sales not yet synced",
            "Receive deliveries, record waste and count stock",
            "Look back at every stock movement and its reason",
        ),
        arriving_with="the inventory work",
    )
