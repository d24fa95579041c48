"""Receipt documents for the printer tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from vendor_console.receipts import ReceiptDocument, ReceiptLine, ReceiptTax, ReceiptTender


def sample_receipt(**changes: object) -> ReceiptDocument:
    doc = ReceiptDocument(
        shop_name="Café Zoë", header=("12 Rue de l'Église", "Dublin 8"),
        receipt_number="A-000123", kind="SALE",
        completed_at=datetime(2026, 11, 22, 10, 5, tzinfo=UTC),
        currency="EUR", locale="de_DE", timezone="Europe/Dublin",
        lines=(
            ReceiptLine("Crème brûlée", "2", 225, 450, 450),
            ReceiptLine("Smørrebrød £ special", "1", 320, 320, 300, discount=20,
                        show_quantity=False),
        ),
        subtotal=770, discount_total=20, taxes=(ReceiptTax(2000, 625, 125),), tax_total=125,
        prices_include_tax=True, rounding=0, total=750,
        tenders=(ReceiptTender("Cash", 750, 1000, 250),), change=250, served_by="Cal",
    )
    return replace(doc, **changes)  # type: ignore[arg-type]
