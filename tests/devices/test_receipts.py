"""The receipt document of a completed sale, as the printer and the Sell screen show it."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from local_db.tables import locations
from tests.conftest import ShopFixture
from vendor_console.devices.receipt_layout import plain_text
from vendor_console.errors import NotFound
from vendor_console.receipts import receipt_for_sale
from vendor_console.services.sale_records import SaleRecord


def test_receipt_for_a_sale_says_what_was_sold_and_paid(
        shop: ShopFixture, sale: SaleRecord) -> None:
    shop.db.write(lambda tx: tx.conn.execute(
        update(locations).values(address="1 Quay Street\nGalway")))
    doc = receipt_for_sale(shop.db, sale.id)
    assert (doc.shop_name, doc.header) == ("Test Bakery", ("1 Quay Street", "Galway"))
    assert doc.receipt_number == sale.receipt_number and doc.served_by == "Cal"
    assert [(ln.name, ln.quantity, ln.amount, ln.discount) for ln in doc.lines] == [
        ("Crème brûlée", "2", 900, 0), ("Smørrebrød", "1", 320, 20)]
    assert (doc.total, doc.change) == (sale.total, 2000 - sale.total)
    assert [(t.label, t.tendered) for t in doc.tenders] == [("Cash", 2000)]
    text = plain_text(doc, 48)
    assert "€12.00" in text  # en_IE shop: 9.00 + 3.00
    assert "Change" in text and "€8.00" in text
    assert f"Receipt {sale.receipt_number}" in text and "Served by Cal" in text


def test_missing_sale(shop: ShopFixture) -> None:
    with pytest.raises(NotFound):
        receipt_for_sale(shop.db, "no-such-sale")
