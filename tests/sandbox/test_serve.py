"""`marketplace-sandbox serve` as shops run it: a separate process, loopback by default, and
several uvicorn worker processes on one PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.sandbox.conftest import DATABASE_ENV, Sandbox, free_port, key, make_product
from tests.sandbox.test_api import _change, _on_hand

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def serve(*args: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "marketplace_sandbox.cli", "serve", "--port", str(port),
         "--log-level", "warning", *args], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=5) as probe:
            for _ in range(400):  # up to 20 s for the workers to start
                with contextlib.suppress(httpx.TransportError):
                    if probe.get("/healthz").status_code == 200:
                        break
                assert proc.poll() is None, "the server exited"
                time.sleep(0.05)
            else:
                pytest.fail("the server did not start")
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _listen_addresses(port: int) -> set[str]:
    """Local addresses of the LISTEN sockets on a port, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_serve_binds_loopback_only_by_default(tmp_path: Path) -> None:
    with serve("--database", f"sqlite:///{tmp_path / 'm.db'}") as (url, _):
        port = int(url.rsplit(":", 1)[1])
        assert _listen_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing on 0.0.0.0
        assert (tmp_path / "m.db").exists()  # SQLite by default, in the given file


@pytest.mark.skipif(not os.environ.get(DATABASE_ENV, "").startswith("postgresql"),
                    reason="needs the PostgreSQL server that run-tests starts")
def test_two_workers_on_postgresql_keep_stock_and_feed_exact() -> None:
    with serve("--database", os.environ[DATABASE_ENV], "--workers", "2", "--test-mode") as (
            url, proc):
        with httpx.Client(base_url=url, timeout=30) as http:
            vendor = Sandbox(url, http).new_vendor()
            api = vendor.client()
            stack = contextlib.ExitStack()
            stack.enter_context(api)
            variant_id = make_product(api)["variants"][0]["id"]
            head = api.get("/changes/head").json()["cursor"]
            now = datetime.now(UTC)

            def adjust(i: int) -> int:
                with httpx.Client(base_url=url + "/vendor/v1", timeout=30, headers={
                        "Authorization": f"Bearer {vendor.api_key}"}) as client:
                    return client.post("/inventory/changes", headers=key(), json={
                        "changes": [_change(vendor, variant_id, "ADJUSTMENT", "2", now)]
                    }).status_code

            with ThreadPoolExecutor(12) as pool:  # new connections spread over both workers
                statuses = list(pool.map(adjust, range(40)))
            assert statuses == [200] * 40
            assert _on_hand(api, variant_id) == "80"
            page = api.get("/changes", params={"after": head, "limit": 1000}).json()
            seqs = [int(c["cursor"].split("_")[1], 16) for c in page["data"]]
            assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
            assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # no gaps
            # One level change per adjustment, each with the next version of the level.
            levels = [c for c in page["data"] if c["type"] == "inventory_level.updated"]
            assert len(levels) == 40
            versions = [c["resource_version"] for c in levels]
            assert versions == list(range(versions[0], versions[0] + 40))
            assert levels[-1]["data"]["on_hand"] == "80"
            stack.close()
        assert proc.poll() is None
