"""In-house codes for items without a barcode, and the EAN-13 bars of their labels."""

from __future__ import annotations

from sqlalchemy import select

from local_db.tables import outbox
from tests.conftest import ShopFixture
from vendor_console.barcodes import generate_in_house, is_in_house
from vendor_console.labels import ean13_modules, sheet_cells
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.in_house_codes import InHouseCodes


def test_ean13_modules_match_the_standard() -> None:
    # 4006381333931: the classic example; first digit 4 = parity LGLLGG.
    bars = ean13_modules("4006381333931")
    assert len(bars) == 95 and bars.startswith("101") and bars.endswith("101")
    assert bars[3:10] == "0001101"  # 0 in L
    assert bars[10:17] == "0100111"  # 0 in G
    assert bars[45:50] == "01010"


def test_sheet_cells_fill_pages_of_24() -> None:
    cells = sheet_cells(25)
    assert cells[0].page == 0 and cells[23].page == 0 and cells[24].page == 1
    assert cells[1].x_mm == 70.0 and cells[3].y_mm == 37.5


def test_assign_gives_new_unused_in_house_codes_through_the_outbox(shop: ShopFixture) -> None:
    catalog = CatalogService(shop.db)
    taken = generate_in_house(1)  # an earlier code (e.g. the demo's) is skipped
    catalog.create_product(shop.owner, ProductDraft(name="Old", variants=[
        VariantDraft(price=100, barcode=taken)]))
    mug = catalog.create_product(shop.owner, ProductDraft(name="Mug", variants=[
        VariantDraft(price=900, name="Blue"), VariantDraft(price=900, name="Red")]))
    codes = InHouseCodes(shop.db)
    missing = codes.without_barcode()
    assert [i.name for i in missing] == ["Mug – Blue", "Mug – Red"]
    labelled = codes.assign(shop.owner, [i.variant_id for i in missing])
    got = [i.barcode or "" for i in labelled]
    assert all(is_in_house(c) for c in got)
    assert taken not in got and len(set(got)) == 2
    assert codes.without_barcode() == []
    with shop.db.read() as conn:
        payload = conn.execute(select(outbox.c.payload).where(
            outbox.c.resource_id == mug.id, outbox.c.operation == "update")).scalar_one()
    assert sorted(u["barcode"] for u in payload["variants"]["update"]) == sorted(got)
