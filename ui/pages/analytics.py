"""Analytics: how the shop is doing (placeholder; charts load only when shown)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.placeholder import PlaceholderPage


def create_page() -> QWidget:
    return PlaceholderPage(
        heading="Analytics",
        purpose="See how the shop is doing, at the counter and online.",
        features=(
            "Sales by day, by product and by channel",
            "Best sellers and slow movers",
            "Counter and online sales compared over time",
        ),
        arriving_with="the analytics work",
    )
