"""Sell: the counter checkout (placeholder until the checkout work lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.pages.placeholder import PlaceholderPage


def create_page() -> QWidget:
    return PlaceholderPage(
        heading="Sell",
        purpose="Ring up sales at the counter, quickly, even when the network is down.",
        features=(
            "Scan a barcode or search products to add them to the sale",
            "Take cash and card payments, with the change worked out for you",
            "Print a receipt and open the cash drawer",
            "Refund or void a sale, with a manager's approval where needed",
        ),
        arriving_with="the counter checkout work",
    )
