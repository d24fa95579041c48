"""``vendor-console catalog import|export`` against a shop in its own data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_db.database import Database
from tests.catalog_io.conftest import fixture
from vendor_console.cli import main
from vendor_console.services.catalog import CatalogService
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "till"
    with Database.open(root / "shop.db") as db:
        create_shop(db, ShopDraft(name="Till", currency="EUR"))
        StaffService(db).add_staff(None, "Olive", "owner", "1111")
    return root


def _cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "catalog", *args])


def test_dry_run_json_then_import_then_export(data_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(data_dir, "import", "--dry-run", "--json",
                str(fixture("shopify_legacy.csv"))) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dialect"] == "shopify_legacy"
    assert report["summary"]["create"] == 2 and report["summary"]["rejected_rows"] == 0
    with Database.open(data_dir / "shop.db") as db:
        assert CatalogService(db).find_by_sku("OAT-1") is None  # a dry run writes nothing
    assert _cli(data_dir, "import", str(fixture("shopify_legacy.csv"))) == 0
    out = capsys.readouterr().out
    assert "Imported: 2 created, 0 updated, 2 stock counts." in out
    target = tmp_path / "out.csv"
    assert _cli(data_dir, "export", "--format", "square", str(target)) == 0
    assert "Wrote 2 products" in capsys.readouterr().out
    assert target.read_text().startswith("Reference Handle,Token,Item Name")
    assert _cli(data_dir, "import", "--json", str(target)) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["summary"]["unchanged"] == 2 and again["applied"]["created"] == 0


def test_rejected_rows_exit_non_zero(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(fixture("hostile_duplicate_handles.csv"))
    assert _cli(data_dir, "import", "--dry-run", "--json", bad) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["rejected_rows"] == [4]
    assert report["errors"][0]["row"] == 4
    assert _cli(data_dir, "import", bad) == 1
    captured = capsys.readouterr()
    assert "nothing was imported" in captured.err
    with Database.open(data_dir / "shop.db") as db:
        assert CatalogService(db).find_by_sku("BOWL-1") is None
    assert _cli(data_dir, "import", "--skip-bad-rows", bad) == 1  # still reports the rejects
    with Database.open(data_dir / "shop.db") as db:
        assert CatalogService(db).find_by_sku("BOWL-1") is not None


def test_unreadable_file_exits_2(data_dir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.csv").write_bytes("Handle,Title\nä,Ä\n".encode("latin-1"))
    assert _cli(data_dir, "import", str(tmp_path / "x.csv")) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert _cli(data_dir, "import", str(tmp_path / "missing.csv")) == 2


def test_location_mapping(data_dir: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "two.csv").write_text(
        "Token,Item Name,Variation Name,SKU,Price,New Quantity Stall,New Quantity Depot\n"
        ",Honey,Regular,HON-1,8.00,6,40\n")
    assert _cli(data_dir, "import", "--dry-run", "--json", str(tmp_path / "two.csv")) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["stock_counts"] == 0 and report["summary"]["warnings"] == 2
    assert _cli(data_dir, "import", "--json", "--location", "Depot=Shop",
                str(tmp_path / "two.csv")) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["counted"] for c in report["stock_counts"]] == [40_000]
    assert _cli(data_dir, "import", "--location", "Depot=Warehouse",
                str(tmp_path / "two.csv")) == 2
    assert "no stock location called “Warehouse”" in capsys.readouterr().err
    assert _cli(data_dir, "import", "--location", "Depot", str(tmp_path / "two.csv")) == 2
