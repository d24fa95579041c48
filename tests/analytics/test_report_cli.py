"""``vendor-console report``: the hand-computed figures from a terminal, bad input refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_db.database import Database
from tests.analytics.documents import incremental_and_rebuilt
from tests.conftest import ShopFixture
from vendor_console.cli import main


def _report(capsys: pytest.CaptureFixture[str], db_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(db_path.parent), "report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_weekly_json_in_the_shops_time_zone(history: ShopFixture, db_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _report(capsys, db_path, "sales", "--from", "2026-03-28", "--to",
                           "2026-04-05", "--by", "week", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["from"], data["to"], data["by"], data["timezone"], data["currency"]) == (
        "2026-03-28", "2026-04-05", "week", "Europe/Dublin", "EUR")
    assert data["rows"] == [
        {"period": "2026-03-23", "channel": "counter", "sales": 1, "gross": "10.00",
         "refunds": 0, "refunded": "0.00", "net": "10.00"},
        {"period": "2026-03-23", "channel": "marketplace", "sales": 1, "gross": "12.00",
         "refunds": 0, "refunded": "0.00", "net": "12.00"},
        {"period": "2026-03-30", "channel": "counter", "sales": 1, "gross": "20.00",
         "refunds": 1, "refunded": "5.00", "net": "15.00"},
        {"period": "2026-03-30", "channel": "marketplace", "sales": 0, "gross": "0.00",
         "refunds": 0, "refunded": "0.00", "net": "0.00"},
    ]


def test_csv_by_category_to_a_file(history: ShopFixture, db_path: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "categories.csv"
    code, out, _ = _report(capsys, db_path, "sales", "--from", "2026-03-01", "--to",
                           "2026-10-31", "--by", "category", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").splitlines() == [
        "category,quantity,net,refunded", "Bread,5,42.00,5.00", "Uncategorised,1,7.00,0.00"]


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "2026-04-02", "--to", "2026-04-01"), "ends (2026-04-01) before it starts"),
    (("--from", "2026-02-30", "--to", "2026-04-01"), "'2026-02-30' is not a date"),
])
def test_bad_dates_are_refused_before_anything_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    folder = tmp_path / "nowhere"
    code = main(["--data-dir", str(folder), "report", "sales", *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (folder / "shop.db").exists()  # nothing created


def test_unknown_grouping_is_an_argument_error(history: ShopFixture, db_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--data-dir", str(db_path.parent), "report", "sales", "--from", "2026-03-01",
              "--to", "2026-03-02", "--by", "colour"])
    assert info.value.code == 2


def test_rebuild_recomputes_damaged_rollups(history: ShopFixture, db: Database, db_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db.write(lambda tx: tx.conn.exec_driver_sql("DELETE FROM analytics_daily"))
    code, out, _ = _report(capsys, db_path, "rebuild")
    assert code == 0 and "Europe/Dublin" in out
    incremental, rebuilt = incremental_and_rebuilt(db)
    assert incremental == rebuilt and incremental["analytics_daily"]
