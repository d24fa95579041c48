"""``vendor-console sync pair|once|run|status --json`` against the real sandbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from local_db.database import Database
from local_db.rawsql import dbapi
from tests.sandbox.conftest import Vendor
from tests.sync.conftest import ShopFixture, Till
from tests.sync.helpers import sell, server_sales
from tests.sync.memkeyring import BACKEND, SEED_ENV, MemoryKeyring
from vendor_console.cli import main
from vendor_console.services.shop import ShopDraft, create_shop
from vendor_console.services.staff import StaffService

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "till"
    db = Database.open(folder / "shop.db")
    try:
        create_shop(db, ShopDraft(name="CLI shop", currency="EUR"))
    finally:
        db.close()
    return folder


def cli(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "sync", *args])


def test_pair_once_and_status(data_dir: Path, vendor: Vendor, stocked: dict[str, Any],
                              capsys: pytest.CaptureFixture[str],
                              memory_keyring: MemoryKeyring) -> None:
    assert cli(data_dir, "status", "--json") == 0
    assert json.loads(capsys.readouterr().out)["paired"] is False
    assert cli(data_dir, "pair", "--url", "ftp://nope", "--key", vendor.api_key) == 2
    assert cli(data_dir, "pair", "--url", vendor.server.url, "--key", "mk_wrong") == 2
    capsys.readouterr()
    assert cli(data_dir, "pair", "--url", vendor.server.url, "--key", vendor.api_key) == 0
    assert vendor.vendor_id in capsys.readouterr().out
    secrets = list(memory_keyring.secrets.values())
    assert len(secrets) == 1 and "access_token" in secrets[0]
    db = Database.open(data_dir / "shop.db")  # no token in the database
    try:
        with db.read() as conn:
            dump = "\n".join(dbapi(conn).iterdump())
    finally:
        db.close()
    assert json.loads(secrets[0])["access_token"] not in dump
    assert cli(data_dir, "once") == 0
    assert "pulled" in capsys.readouterr().out
    assert cli(data_dir, "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["paired"] and status["pending"] == 0 and status["last_success_at"]


def test_once_exits_non_zero_with_dead_letters(till: Till, stocked: dict[str, Any],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from tests.sync.test_dead_letters_and_stock import break_payload, service

    till.sync()
    sell(till, till.variant(stocked["variant"]))
    break_payload(till, "sale", lines=[])
    service(till)  # the marketplace address in settings
    assert cli(till.db.path.parent, "once") == 3  # its own connection to the same file
    assert "1 dead-lettered" in capsys.readouterr().out


def test_sync_run_keeps_syncing(data_dir: Path, vendor: Vendor, stocked: dict[str, Any],
                                memory_keyring: MemoryKeyring) -> None:
    assert cli(data_dir, "pair", "--url", vendor.server.url, "--key", vendor.api_key) == 0
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": BACKEND, SEED_ENV: memory_keyring.seed(),
           "PYTHONPATH": str(ROOT)}
    log = (data_dir / "run.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "vendor_console", "--data-dir",
                             str(data_dir), "sync", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        order = vendor.place_order(stocked["variant"])
        db = Database.open(data_dir / "shop.db")
        try:
            staff = StaffService(db)
            owner = staff.add_staff(None, "Olive", "owner", "1111")
            with db.read() as conn:
                location = dbapi(conn).execute("SELECT id FROM locations").fetchone()[0]
                shop_id = dbapi(conn).execute("SELECT id FROM shop").fetchone()[0]
            shop = ShopFixture(db, shop_id, location, {}, owner, owner, owner)
            till = Till(shop, vendor, None)  # type: ignore[arg-type]
            deadline = time.monotonic() + 60
            while till.scalar("SELECT COUNT(*) FROM orders WHERE remote_id = ?",
                              order["id"]) == 0:
                assert time.monotonic() < deadline, "the order never arrived"
                assert proc.poll() is None, (data_dir / "run.log").read_text()
                time.sleep(0.1)
            sale_id = sell(till, till.variant(stocked["variant"]))
            while not [s for s in server_sales(stocked["api"]) if s["sale_id"] == sale_id]:
                assert time.monotonic() < deadline, "the sale never reached the server"
                time.sleep(0.1)
        finally:
            db.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
