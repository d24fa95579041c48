"""Each dialect read from a fixture file, dry-run first, then applied through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from local_db.tables import audit_log, outbox, products, stock_movements
from tests.catalog_io.conftest import fixture, table_counts
from tests.conftest import ShopFixture
from vendor_console.catalog_io import CatalogTransfer
from vendor_console.catalog_io.plan_records import derived_ref
from vendor_console.services.catalog import (
    CatalogService,
    ProductDraft,
    ProductRecord,
    VariantDraft,
)
from vendor_console.services.inventory import InventoryService


def _by_name(shop: ShopFixture, name: str) -> ProductRecord:
    hits = [h for h in CatalogService(shop.db).search(name) if h.name == name]
    assert hits, name
    return CatalogService(shop.db).get_product(hits[0].product_id)


def test_square_dry_run_reports_and_writes_nothing(shop: ShopFixture,
                                                   transfer: CatalogTransfer) -> None:
    before = table_counts(shop)
    plan = transfer.dry_run(fixture("square_items.csv"))
    assert plan.dialect == "square"
    assert plan.details["locations"] == ["Main Street"]
    assert [p.name for p in plan.of("create")] == ["Sourdough Loaf", "Butter Croissant",
                                                    "Raspberry Jam"]
    assert [i.row for i in plan.skipped] == [5]  # Archived = Y
    assert sorted(plan.new_categories) == ["Bread", "Pastries", "Preserves"]
    assert {c.counted for c in plan.counts} == {12_000, 5_000}
    assert plan.unmapped_columns == ["Unit and Precision", "Modifier Set - Milk"]
    assert plan.rejected_rows == []
    assert table_counts(shop) == before


def test_square_apply_goes_through_services_outbox_ledger_and_audit(
        shop: ShopFixture, transfer: CatalogTransfer) -> None:
    result = transfer.apply(shop.owner, fixture("square_items.csv"))
    assert (result.created, result.updated, result.counts) == (3, 0, 2)
    loaf = _by_name(shop, "Sourdough Loaf")
    assert loaf.client_ref == derived_ref("square", "#sourdough")
    assert loaf.category_name == "Bread" and loaf.weight_g == 500
    small, large = loaf.variants
    assert (small.options, small.sku, small.barcode, small.price, small.cost) == (
        {"Size": "Small"}, "SD-S", "5901234123457", 450, 120)
    # Square's Online Sale Price below Price: we sell at 6.00, "was" 7.00.
    assert (large.price, large.compare_at_price) == (600, 700)
    assert small.low_stock_threshold == 3000
    assert small.tax_rate_id == large.tax_rate_id == shop.tax_rate_ids["standard"]  # VAT 20%
    assert InventoryService(shop.db).on_hand(small.id) == 12_000
    croissant = _by_name(shop, "Butter Croissant")
    assert (croissant.availability, croissant.variants[0].name) == ("SOLD_OUT", "")
    jam = _by_name(shop, "Raspberry Jam")
    assert jam.visibility == "HIDDEN" and not jam.variants[0].track_inventory
    assert jam.variants[0].tax_rate_id is None  # Tax - VAT (20%) = N
    with shop.db.read() as conn:
        messages = conn.execute(select(outbox.c.resource_type, outbox.c.operation,
                                       outbox.c.payload)).all()
        moves = conn.execute(select(stock_movements.c.kind, stock_movements.c.reason,
                                    stock_movements.c.expected_on_hand,
                                    stock_movements.c.reference_type)).all()
        audit = conn.execute(select(audit_log.c.action, audit_log.c.staff_id,
                                    audit_log.c.details)).all()
    creates = [p for t, op, p in messages if t == "product" and op == "create"]
    assert sorted(p["name"] for p in creates) == ["Butter Croissant", "Raspberry Jam",
                                                  "Sourdough Loaf"]
    assert any(p["client_ref"] == loaf.client_ref for p in creates)
    counts = [p for t, _op, p in messages if t == "inventory_change"]
    assert {(p["type"], p["quantity"], p["expected_on_hand"]) for p in counts} == {
        ("PHYSICAL_COUNT", 12_000, 0), ("PHYSICAL_COUNT", 5_000, 0)}
    assert set(moves) == {("PHYSICAL_COUNT", "count", 0, "import")}
    assert sum(1 for t, _op, _p in messages if t == "category") == 3
    (_action, staff_id, details), = [a for a in audit if a[0] == "catalog_import"]
    assert staff_id == shop.owner.staff_id
    assert (details["created"], details["counts"]) == (3, 2)


def test_reimporting_the_same_file_changes_nothing(shop: ShopFixture,
                                                   transfer: CatalogTransfer) -> None:
    transfer.apply(shop.owner, fixture("square_items.csv"))
    after_first = table_counts(shop)
    plan = transfer.dry_run(fixture("square_items.csv"))
    assert (len(plan.of("create")), len(plan.of("update")), len(plan.counts)) == (0, 0, 0)
    assert len(plan.of("unchanged")) == 3 and not plan.writes_anything
    result = transfer.apply(shop.owner, fixture("square_items.csv"))
    assert (result.created, result.updated, result.counts) == (0, 0, 0)
    assert table_counts(shop) == after_first


def test_square_xlsx_header_below_a_title_row_and_numeric_gtin(
        shop: ShopFixture, transfer: CatalogTransfer, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Items"
    sheet.append(["Item Library export", None, None])
    sheet.append(["Token", "Item Name", "Variation Name", "SKU", "GTIN", "Price",
                  "New Quantity Shop"])
    sheet.append([None, "Rye Bread", "Regular", "RYE-1", 5901234123457, 3.9, 4])
    sheet.append([None, "Seeded Rye", "Regular", "00123", 36000291452, 4, None])
    components = book.create_sheet("Component Inventory")
    components.append(["Token (locked)", "Item Name (locked)", "Stock-by Reference Handle"])
    book.save(tmp_path / "items.xlsx")
    plan = transfer.dry_run(tmp_path / "items.xlsx")
    assert any("Component Inventory" in w.message for w in plan.warnings)
    assert plan.details["format"] == "xlsx" and plan.details["header_row"] == 2
    transfer.apply(shop.owner, tmp_path / "items.xlsx")
    rye, seeded = _by_name(shop, "Rye Bread"), _by_name(shop, "Seeded Rye")
    assert (rye.variants[0].barcode, rye.variants[0].price) == ("5901234123457", 390)
    assert seeded.variants[0].sku == "00123"  # a text cell stays text
    assert seeded.variants[0].barcode == "036000291452"  # the lost leading zero is back
    assert any("lost its leading zero" in w.message for w in plan.warnings)
    assert InventoryService(shop.db).on_hand(rye.variants[0].id) == 4000


def test_decimal_commas_and_semicolons(shop: ShopFixture, transfer: CatalogTransfer) -> None:
    plan = transfer.dry_run(fixture("square_decimal_comma.csv"))
    assert plan.details["delimiter"] == "semicolon" and plan.details["decimal_comma"]
    transfer.apply(shop.owner, fixture("square_decimal_comma.csv"))
    honey = _by_name(shop, "Honig").variants[0]
    assert (honey.price, honey.cost) == (1250, 410)
    assert InventoryService(shop.db).on_hand(honey.id) == 7000


def test_shopify_legacy_and_2024_headers_read_the_same(shop: ShopFixture,
                                                       transfer: CatalogTransfer) -> None:
    legacy = transfer.dry_run(fixture("shopify_legacy.csv"))
    current = transfer.dry_run(fixture("shopify_2024.csv"))
    assert (legacy.dialect, current.dialect) == ("shopify_legacy", "shopify_2024")
    assert (current.details["bom"], current.details["line_endings"]) == (True, "CRLF")
    assert (legacy.details["bom"], legacy.details["line_endings"]) == (False, "LF")
    assert [p.draft for p in legacy.products] == [p.draft for p in current.products]
    assert legacy.details["image_rows_skipped"] == 1
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    cookie = _by_name(shop, "Oat Cookie")
    assert cookie.description == "Chewy oat cookie & raisins"  # HTML to text
    assert cookie.dietary_tags == ("vegan", "dairy-free") and cookie.category_name == "Cookies"
    single, box = cookie.variants
    assert (single.options, single.price, single.compare_at_price, single.barcode) == (
        {"Pack": "Single"}, 200, 250, "4006381333931")
    assert box.options == {"Pack": "Box of 6"}  # the option name comes from the first row
    assert InventoryService(shop.db).on_hand(single.id) == 20_000
    tote = _by_name(shop, "Canvas Tote")
    assert tote.visibility == "HIDDEN" and tote.variants[0].options == {}
    assert tote.variants[0].inventory_policy == "CONTINUE"
    again = transfer.dry_run(fixture("shopify_2024.csv"))  # the other header, same catalog
    assert len(again.of("unchanged")) == 2 and not again.writes_anything


def test_an_edited_file_shows_field_diffs(shop: ShopFixture, transfer: CatalogTransfer,
                                          tmp_path: Path) -> None:
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    text = fixture("shopify_legacy.csv").read_text().replace(",2.00,2.50,", ",2.20,2.50,")
    (tmp_path / "edited.csv").write_text(text)
    plan = transfer.dry_run(tmp_path / "edited.csv")
    (update,) = plan.of("update")
    assert update.name == "Oat Cookie"
    assert [(c.field, c.old, c.new) for c in update.changes] == [
        ("variants[Single].price", 200, 220)]
    result = transfer.apply(shop.owner, tmp_path / "edited.csv")
    assert result.updated == 1
    with shop.db.read() as conn:
        payload = conn.execute(select(outbox.c.payload).where(outbox.c.operation == "update")
                               ).scalar_one()
    assert payload["variants"]["update"][0]["price"] == 220


@pytest.mark.parametrize(("name", "expected"), [
    ("inventory_old.csv", {"OAT-1": 25_000}),
    ("inventory_2023.csv", {"OAT-1": 25_000, "OAT-6": 9_000}),
    ("inventory_2024.csv", {"OAT-1": 30_000, "OAT-6": 4_000}),
])
def test_shopify_inventory_layouts(shop: ShopFixture, transfer: CatalogTransfer, name: str,
                                   expected: dict[str, int]) -> None:
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))  # OAT-1 20, OAT-6 4
    plan = transfer.dry_run(fixture(name))
    assert plan.dialect.startswith("shopify_inventory") and plan.rejected_rows == []
    transfer.apply(shop.owner, fixture(name))
    catalog, stock = CatalogService(shop.db), InventoryService(shop.db)
    for sku, quantity in expected.items():
        found = catalog.find_by_sku(sku)
        assert found is not None and stock.on_hand(found.variant_id) == quantity


def test_inventory_current_that_moved_is_a_conflict(shop: ShopFixture,
                                                    transfer: CatalogTransfer) -> None:
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    oat = CatalogService(shop.db).find_by_sku("OAT-1")
    assert oat is not None
    InventoryService(shop.db).adjust(shop.owner, oat.variant_id, -2000, "damaged")  # 20 -> 18
    before = table_counts(shop)
    plan = transfer.dry_run(fixture("inventory_2024.csv"))
    (conflict,) = plan.conflicts
    assert conflict.row == 2 and "expected 20" in conflict.message and "has 18" in conflict.message
    assert plan.rejected_rows == [2]
    assert table_counts(shop) == before


def test_a_code_held_by_an_archived_product_moves_to_the_imported_one(
        shop: ShopFixture, transfer: CatalogTransfer) -> None:
    catalog = CatalogService(shop.db)
    old = catalog.create_product(shop.owner, ProductDraft(name="Old Oat Cookie", variants=[
        VariantDraft(price=150, sku="OAT-1")]))
    catalog.archive_product(shop.owner, old.id)
    plan = transfer.dry_run(fixture("shopify_legacy.csv"))
    assert [p.action for p in plan.products] == ["create", "create"]
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    found = catalog.find_by_sku("OAT-1")
    assert found is not None and found.product_id != old.id and not found.archived


def test_location_columns_map_by_name(shop: ShopFixture, transfer: CatalogTransfer,
                                      tmp_path: Path) -> None:
    (tmp_path / "two.csv").write_text(
        "Token,Item Name,Variation Name,SKU,Price,Current Quantity Shop,New Quantity Shop,"
        "Current Quantity Market Stall,New Quantity Market Stall\n"
        ",Honey,Regular,HON-1,8.00,,6,,2\n")
    plan = transfer.dry_run(tmp_path / "two.csv")
    assert plan.details["locations"] == ["Shop", "Market Stall"]
    assert [(c.location_id, c.counted) for c in plan.counts] == [(shop.location_id, 6000)]
    assert [w.message for w in plan.warnings] == [
        "No stock location here is called “Market Stall”; its quantities were not imported."]


def test_bulk_product_reads_equal_single_reads(shop: ShopFixture,
                                               transfer: CatalogTransfer) -> None:
    from vendor_console.services.catalog_records import load_product, load_products

    transfer.apply(shop.owner, fixture("square_items.csv"))
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    with shop.db.read() as conn:
        ids = list(conn.execute(select(products.c.id)).scalars())
        bulk = load_products(conn, [*ids, "no-such-id"])
        assert bulk == {pid: load_product(conn, pid) for pid in ids} and len(ids) == 5
