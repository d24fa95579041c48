"""``vendor-console printer …`` against the emulator: add, status, test page, receipt, drawer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ShopFixture
from tests.devices.emupos import Emupos
from vendor_console.cli import main
from vendor_console.services.sale_records import SaleRecord


def _cli(capsys: pytest.CaptureFixture[str], data_dir: str, *args: str) -> tuple[int, str]:
    code = main(["--data-dir", data_dir, "printer", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_status_and_test_page_by_url(emupos: Emupos, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = emupos.printer_url
    code, out = _cli(capsys, str(tmp_path), "status", "--printer", url)
    assert code == 0 and "Printer ready" in out and "drawer: closed" in out
    start = len(emupos.events)
    code, out = _cli(capsys, str(tmp_path), "test", "--printer", url)
    assert (code, out.strip()) == (0, "Printed.")
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    assert "Test print" in emupos.receipt_text(receipt_id)
    emupos.fault("cover-open", active=True)
    code, out = _cli(capsys, str(tmp_path), "status", "--printer", url)
    assert code == 1 and "cover open" in out


def test_receipt_and_drawer_on_a_configured_printer(
        emupos: Emupos, shop: ShopFixture, sale: SaleRecord,
        capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(shop.db.path.parent)
    code, out = _cli(capsys, data_dir, "add", "Front", emupos.printer_url, "--drawer-pin", "5")
    assert code == 0 and "Added Front (default)" in out
    code, out = _cli(capsys, data_dir, "list")
    assert "Front (default): " + emupos.printer_url in out and "drawer pin 5" in out
    start = len(emupos.events)
    code, out = _cli(capsys, data_dir, "receipt", sale.receipt_number)
    assert (code, out.strip()) == (0, "Printed.")
    receipt_id = emupos.wait_event("printer.job.completed", start)["data"]["receipt_id"]
    assert f"Receipt {sale.receipt_number}" in emupos.receipt_text(receipt_id)
    code, out = _cli(capsys, data_dir, "drawer", "--staff", "Cal", "--pin", "3333")
    assert code == 2 and "may not open the drawer without a sale" in out
    assert emupos.drawer_state() == "closed"
    code, out = _cli(capsys, data_dir, "drawer", "--printer", "front", "--staff", "maya",
                     "--pin", "2222")
    assert (code, out.strip()) == (0, "Drawer open.")
    assert emupos.drawer_state() == "open"


def test_no_printer_set_up(shop: ShopFixture, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(shop.db.path.parent)
    code, out = _cli(capsys, data_dir, "test")
    assert code == 2 and "No printer is set up yet" in out


def test_remove_a_printer(shop: ShopFixture, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(shop.db.path.parent)
    assert _cli(capsys, data_dir, "add", "Front", "tcp://127.0.0.1:9")[0] == 0
    assert _cli(capsys, data_dir, "add", "Back", "tcp://127.0.0.1:9")[0] == 0
    code, out = _cli(capsys, data_dir, "remove", "front")
    assert (code, out.strip()) == (0, "Removed Front.")
    code, out = _cli(capsys, data_dir, "list")
    assert "Front" not in out and "Back (default)" in out  # the default moved on
    code, out = _cli(capsys, data_dir, "remove", "Nope")
    assert code == 2 and "no printer called" in out
