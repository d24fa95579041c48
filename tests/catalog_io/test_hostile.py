"""Hostile files: a clear error per row (or for the file) and, unless asked, nothing written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.catalog_io.conftest import fixture, table_counts
from tests.conftest import ShopFixture
from vendor_console.catalog_io import (
    CatalogTransfer,
    ImportCancelled,
    ImportFileError,
    ImportRejected,
)
from vendor_console.errors import PermissionDenied
from vendor_console.services.catalog import CatalogService


def test_wrong_encoding_is_refused_with_how_to_fix(shop: ShopFixture, transfer: CatalogTransfer,
                                                   tmp_path: Path) -> None:
    text = "URL handle,Title,Price\ncreme,Crème brûlée,4.50\n"
    (tmp_path / "latin1.csv").write_bytes(text.encode("cp1252"))
    before = table_counts(shop)
    with pytest.raises(ImportFileError) as caught:
        transfer.dry_run(tmp_path / "latin1.csv")
    assert "not UTF-8" in caught.value.user_message and "line 2" in caught.value.user_message
    assert "CSV UTF-8" in caught.value.user_message
    with pytest.raises(ImportFileError):
        transfer.apply(shop.owner, tmp_path / "latin1.csv", skip_bad_rows=True)
    assert table_counts(shop) == before


def test_utf16_with_bom_is_read(shop: ShopFixture, transfer: CatalogTransfer,
                                tmp_path: Path) -> None:
    text = "URL handle\tTitle\tPrice\ncreme\tCrème brûlée\t4.50\n"
    (tmp_path / "utf16.csv").write_bytes(text.encode("utf-16"))
    plan = transfer.dry_run(tmp_path / "utf16.csv")
    assert plan.details["delimiter"] == "tab"
    assert [p.name for p in plan.of("create")] == ["Crème brûlée"]


@pytest.mark.parametrize("content", [b"Name,Cost,Stock\nMug,18.00,4\n", b"", b"\x00\x01\x02",
                                     b"just one column\nvalue\n"])
def test_files_that_are_no_catalog(shop: ShopFixture, transfer: CatalogTransfer,
                                   tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.csv").write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        transfer.dry_run(tmp_path / "bad.csv")
    assert caught.value.user_message


def test_missing_required_columns_names_them(transfer: CatalogTransfer) -> None:
    with pytest.raises(ImportFileError) as caught:
        transfer.dry_run(fixture("hostile_missing_columns.csv"))
    message = caught.value.user_message
    assert "Name, Cost, Stock" in message and "Token and Item Name" in message
    assert "URL handle with Price" in message and "Nothing was changed" in message


def test_corrupt_xlsx(transfer: CatalogTransfer, tmp_path: Path) -> None:
    (tmp_path / "items.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFileError) as caught:
        transfer.dry_run(tmp_path / "items.xlsx")
    assert "Excel" in caught.value.user_message


def test_duplicate_handles_reject_all_or_skip_bad_rows(shop: ShopFixture,
                                                       transfer: CatalogTransfer) -> None:
    plan = transfer.dry_run(fixture("hostile_duplicate_handles.csv"))
    assert plan.new_categories == []  # the file has no categories: nothing to create
    (error,) = plan.errors
    assert error.row == 4 and "“mug” is used for two different products" in error.message
    assert "row 2" in error.message
    before = table_counts(shop)
    with pytest.raises(ImportRejected) as caught:
        transfer.apply(shop.owner, fixture("hostile_duplicate_handles.csv"))
    assert "nothing was imported" in caught.value.user_message
    assert table_counts(shop) == before  # all or nothing
    result = transfer.apply(shop.owner, fixture("hostile_duplicate_handles.csv"),
                            skip_bad_rows=True)
    assert result.created == 2  # the bowl and the plate
    catalog = CatalogService(shop.db)
    assert catalog.find_by_sku("BOWL-1") is not None
    assert catalog.find_by_sku("PLT-1") is not None
    assert CatalogService(shop.db).find_by_sku("MUG-1") is None  # the whole handle is rejected


def test_excel_mangled_codes_are_warned_and_not_imported(shop: ShopFixture,
                                                         transfer: CatalogTransfer) -> None:
    plan = transfer.dry_run(fixture("hostile_mangled_codes.csv"))
    messages = {(w.row, w.column): w.message for w in plan.warnings}
    assert "scientific notation" in messages[(2, "Variant SKU")]
    assert "scientific notation" in messages[(2, "Variant Barcode")]
    assert "imported as 036000291452" in messages[(3, "Variant Barcode")]
    (error,) = plan.errors  # a GTIN with a wrong check digit is an error, not a guess
    assert error.row == 4 and "last digit should be 7" in error.message
    transfer.apply(shop.owner, fixture("hostile_mangled_codes.csv"), skip_bad_rows=True)
    catalog = CatalogService(shop.db)
    assert catalog.find_by_sku("8.71234E+12") is None
    vase = [h for h in catalog.search("Bud Vase") if h.name == "Bud Vase"]
    assert vase and vase[0].barcode is None and vase[0].sku is None
    jug = catalog.find_by_barcode("036000291452")
    assert jug is not None and jug.sku == "JUG-1"
    assert catalog.find_by_sku("CUP-1") is None


def test_duplicate_skus_within_the_file_and_bad_prices(transfer: CatalogTransfer) -> None:
    plan = transfer.dry_run(fixture("hostile_duplicate_skus.csv"))
    assert [(e.row, e.column) for e in plan.errors] == [(3, "sku"), (4, "Price")]
    assert "“SHARED-1” is given to two products" in plan.errors[0].message
    assert "not a number" in plan.errors[1].message
    assert plan.rejected_rows == [3, 4]


def test_cancel_rolls_everything_back(shop: ShopFixture, transfer: CatalogTransfer) -> None:
    cancel = threading.Event()
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        cancel.set()  # the user presses Cancel once the import has started writing

    before = table_counts(shop)
    with pytest.raises(ImportCancelled):
        transfer.apply(shop.owner, fixture("square_items.csv"), progress=progress,
                       cancel=cancel)
    assert calls and table_counts(shop) == before


def test_a_cashier_may_not_import(shop: ShopFixture, transfer: CatalogTransfer) -> None:
    before = table_counts(shop)
    with pytest.raises(PermissionDenied):
        transfer.apply(shop.cashier, fixture("square_items.csv"))
    assert table_counts(shop) == before


def test_native_lines_with_wrong_types_are_row_errors(shop: ShopFixture,
                                                      transfer: CatalogTransfer,
                                                      tmp_path: Path) -> None:
    good = ('{"client_ref":"01a25100-0000-7000-8000-000000000001","name":"Mug","variants":'
            '[{"client_ref":"01a25100-0000-7000-8000-000000000002","price":1800}]}')
    lines = [
        '{"format":"vendor-console/catalog","version":1,"currency":"EUR"}', good,
        good.replace('"price":1800', '"price":"18.00"'),  # a price as text
        good.replace('"name":"Mug"', '"name":["Mug"]'),
        '{"client_ref":"x","name":"No variants"}', "not json at all",
    ]
    (tmp_path / "catalog.jsonl").write_text("\n".join(lines) + "\n")
    plan = transfer.dry_run(tmp_path / "catalog.jsonl")
    assert [e.row for e in plan.errors] == [3, 4, 5, 6]
    assert "“price” must be int" in plan.errors[0].message
    assert [p.name for p in plan.of("create")] == ["Mug"]
    (tmp_path / "usd.jsonl").write_text(lines[0].replace("EUR", "USD") + "\n" + good + "\n")
    with pytest.raises(ImportFileError) as caught:
        transfer.dry_run(tmp_path / "usd.jsonl")
    assert "USD" in caught.value.user_message and "EUR" in caught.value.user_message


def test_square_handle_with_two_item_names_and_a_blank_price(
        shop: ShopFixture, transfer: CatalogTransfer, tmp_path: Path) -> None:
    (tmp_path / "items.csv").write_text(
        "Reference Handle,Token,Item Name,Variation Name,SKU,Price\n"
        "#mug,,Mug,Small,MUG-S,10.00\n"
        "#mug,,Vase,Large,MUG-L,12.00\n"
        "#jug,,Jug,Regular,JUG-1,20.00\n")
    plan = transfer.dry_run(tmp_path / "items.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(3, "Reference Handle")]
    transfer.apply(shop.owner, tmp_path / "items.csv", skip_bad_rows=True)
    (tmp_path / "blank.csv").write_text(
        "Reference Handle,Token,Item Name,Variation Name,SKU,Price\n#jug,,Jug,Regular,JUG-1,\n")
    plan = transfer.dry_run(tmp_path / "blank.csv")
    assert [(e.row, e.message) for e in plan.errors] == [
        (2, "The price is blank; every variant needs one.")]


def test_square_tax_columns_need_a_matching_rate(shop: ShopFixture, transfer: CatalogTransfer,
                                                 tmp_path: Path) -> None:
    (tmp_path / "tax.csv").write_text(
        "Token,Item Name,Variation Name,SKU,Price,Tax - GST (13.5%),Tax - VAT (20%)\n"
        ",Mug,Regular,MUG-1,10.00,Y,N\n"
        ",Jug,Regular,JUG-1,10.00,Y,Y\n"
        ",Cup,Regular,CUP-1,10.00,N,Y\n")
    plan = transfer.dry_run(tmp_path / "tax.csv")
    assert [(e.row, e.message) for e in plan.errors] == [
        (2, "No tax rate of 13.5 % is set up in this shop; add it in Settings, or change the "
            "file's tax columns."),
        (3, "Several taxes are marked Y; a variant here has one tax rate.")]
    (cup,) = plan.of("create")
    assert cup.draft.variants[0].tax_rate_id == shop.tax_rate_ids["standard"]


def test_a_product_removed_since_is_a_conflict_not_a_resurrection(
        shop: ShopFixture, transfer: CatalogTransfer) -> None:
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    catalog = CatalogService(shop.db)
    oat = catalog.find_by_sku("OAT-1")
    assert oat is not None
    catalog.archive_product(shop.owner, oat.product_id)
    plan = transfer.dry_run(fixture("shopify_legacy.csv"))
    (conflict,) = plan.conflicts
    assert conflict.row == 2 and "was removed from the catalog" in conflict.message
    assert [p.action for p in plan.products] == ["unchanged"]  # the tote bag


def test_shopify_draft_is_hidden_and_archived_is_skipped(shop: ShopFixture,
                                                         transfer: CatalogTransfer,
                                                         tmp_path: Path) -> None:
    (tmp_path / "status.csv").write_text(
        "URL handle,Title,SKU,Price,Published on online store,Status\n"
        "a,Draft Mug,A-1,5.00,TRUE,draft\n"
        "b,Old Mug,B-1,5.00,TRUE,archived\n"
        "c,Mug,C-1,5.00,TRUE,sold\n")
    plan = transfer.dry_run(tmp_path / "status.csv")
    assert [(p.name, p.draft.visibility) for p in plan.of("create")] == [("Draft Mug", "HIDDEN")]
    assert [i.row for i in plan.skipped] == [3]
    assert [(e.row, e.column) for e in plan.errors] == [(4, "Status")]


def test_shopify_dietary_metafields_become_tags(transfer: CatalogTransfer,
                                               tmp_path: Path) -> None:
    (tmp_path / "meta.csv").write_text(
        "URL handle,Title,SKU,Price,Tags,"
        "Dietary preferences (product.metafields.shopify.dietary-preferences),"
        "Color (product.metafields.shopify.color-pattern)\n"
        "a,Oat Bar,A-1,3.00,organic,Gluten free; Vegan,Brown\n")
    plan = transfer.dry_run(tmp_path / "meta.csv")
    (bar,) = plan.of("create")
    assert bar.draft.dietary_tags == ["organic", "gluten-free", "vegan"]
    assert plan.unmapped_columns == ["Color (product.metafields.shopify.color-pattern)"]


def test_a_new_variant_taking_another_products_sku_is_a_conflict(
        shop: ShopFixture, transfer: CatalogTransfer, tmp_path: Path) -> None:
    transfer.apply(shop.owner, fixture("shopify_legacy.csv"))
    (tmp_path / "more.csv").write_text(
        "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Body (HTML)\n"
        "tote-bag,Canvas Tote,Size,Large,OAT-6,14.00,\n")
    plan = transfer.dry_run(tmp_path / "more.csv")
    (conflict,) = plan.conflicts
    assert conflict.row == 2 and "“OAT-6” of “Canvas Tote” is already used" in conflict.message


def test_rejected_products_create_no_categories(shop: ShopFixture, transfer: CatalogTransfer,
                                                tmp_path: Path) -> None:
    (tmp_path / "cats.csv").write_text(
        "URL handle,Title,Type,SKU,Price\n"
        "a,Mug,Ceramics,A-1,5.00\n"
        "b,Bowl,Bowls,B-1,oops\n"
        "c,Plate,ceramics,C-1,7.00\n")
    plan = transfer.dry_run(tmp_path / "cats.csv")
    assert plan.new_categories == ["Ceramics"]  # not "Bowls" (its only product is rejected)
    transfer.apply(shop.owner, tmp_path / "cats.csv", skip_bad_rows=True)
    assert [c.name for c in CatalogService(shop.db).list_categories()] == ["Ceramics"]
