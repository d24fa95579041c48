"""Orders: the marketplace's online order queue (placeholder)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.placeholder import PlaceholderPage


def create_page() -> QWidget:
    return PlaceholderPage(
        heading="Orders",
        purpose="Work the online orders that customers place on the marketplace.",
        features=(
            "See new orders as they arrive, with the time left to accept each one",
            "Accept or reject, mark an order ready and hand it over",
            "Keep working offline: your actions are sent when the connection returns",
        ),
        arriving_with="the marketplace orders work",
    )
