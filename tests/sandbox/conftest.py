"""A real sandbox server on a free loopback port (one per test session) and helpers."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from marketplace_sandbox.config import RatePolicy, Settings
from marketplace_sandbox.server import make_server

BASE = "/vendor/v1"
# Run the suite against PostgreSQL: MARKETPLACE_SANDBOX_TEST_DATABASE=postgresql://… (the
# database is emptied first). Default: a fresh SQLite file.
DATABASE_ENV = "MARKETPLACE_SANDBOX_TEST_DATABASE"


def fresh_database_url(tmp: Path) -> str:
    url = os.environ.get(DATABASE_ENV)
    if not url:
        return f"sqlite:///{tmp / 'sandbox.db'}"
    from marketplace_sandbox.db import Database
    from marketplace_sandbox.models import metadata

    db = Database(url)
    try:
        metadata.drop_all(db.write_engine)
    finally:
        db.dispose()
    return url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Vendor:
    server: Sandbox
    vendor_id: str
    location_id: str
    api_key: str
    pairing_code: str
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, token: str | None = None) -> httpx.Client:
        """An API client authenticated with a token (default: the vendor's API key)."""
        c = httpx.Client(base_url=self.server.url + BASE, timeout=40,
                         headers={"Authorization": f"Bearer {token or self.api_key}"})
        self.clients.append(c)
        return c

    def device(self, name: str = "Till") -> tuple[httpx.Client, dict[str, Any]]:
        r = self.server.http.post(BASE + "/auth/device",
                                  json={"api_key": self.api_key, "device_name": name})
        assert r.status_code == 201, r.text
        tokens = r.json()
        return self.client(tokens["access_token"]), tokens

    def place_order(self, variant_id: str, quantity: str = "1", **extra: Any) -> dict[str, Any]:
        r = self.server.http.post("/_test/orders", json={
            "vendor_id": self.vendor_id, "lines": [{"variant_id": variant_id,
                                                   "quantity": quantity}], **extra})
        assert r.status_code == 201, r.text
        order: dict[str, Any] = r.json()
        return order


@dataclass
class Sandbox:
    url: str
    http: httpx.Client
    vendors: list[Vendor] = field(default_factory=list)

    def new_vendor(self, **options: Any) -> Vendor:
        r = self.http.post("/_test/vendors", json=options)
        assert r.status_code == 201, r.text
        data = r.json()
        vendor = Vendor(self, data["vendor_id"], data["location_id"], data["api_key"],
                        data["pairing_code"])
        self.vendors.append(vendor)
        return vendor


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": str(uuid.uuid4())}


def make_product(client: httpx.Client, *, track: bool = True, precision: int = 0,
                 currency: str = "EUR", name: str = "Sourdough loaf") -> dict[str, Any]:
    r = client.post("/products", headers=key(), json={
        "name": name, "client_ref": str(uuid.uuid4()),
        "variants": [{"name": "Whole", "price": {"amount": 650, "currency": currency},
                      "track_inventory": track, "precision": precision, "sku": "SD-W"}]})
    assert r.status_code == 201, r.text
    product: dict[str, Any] = r.json()
    return product


def sandbox_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for a test server: generous rate limits, short timers."""
    options: dict[str, Any] = {
        "database_url": database_url, "test_mode": True,
        "default_policy": RatePolicy("default", 100_000, 60),
        "batch_policy": RatePolicy("batch", 100_000, 60),
        "anonymous_policy": RatePolicy("anonymous", 100_000, 60),
        "sse_heartbeat": 0.3, "sweeper_max_sleep": 0.5, "notify_fallback_poll": 5.0,
        "presence_timeout": 1.0, "maintenance_interval": 0.1,
        "webhook_poll": 0.05, "webhook_backoff": (0.05, 0.1), "webhook_disable_after": 0.5,
    }
    options.update(overrides)
    return Settings(**options)


@contextlib.contextmanager
def running_sandbox(settings: Settings, port: int | None = None) -> Iterator[Sandbox]:
    """A real server on a free loopback port (or ``port``, to start one again where it was),
    in a thread, for the duration of the block."""
    port = free_port() if port is None else port
    server = make_server(settings, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, name="sandbox-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    http = httpx.Client(base_url=url, timeout=40)
    try:
        for _ in range(500):
            if server.started:
                break
            if not thread.is_alive():
                raise RuntimeError("the sandbox server did not start")
            threading.Event().wait(0.02)  # polling the startup flag; uvicorn offers no event
        assert http.get("/healthz").json() == {"ok": True}
        sandbox = Sandbox(url, http)
        yield sandbox
        for vendor in sandbox.vendors:
            for client in vendor.clients:
                client.close()
    finally:
        http.close()
        server.should_exit = True
        thread.join(timeout=15)
        assert not thread.is_alive()


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    url = fresh_database_url(tmp_path_factory.mktemp("sandbox"))
    with running_sandbox(sandbox_settings(url)) as server:
        yield server


@pytest.fixture
def vendor(sandbox: Sandbox) -> Vendor:
    return sandbox.new_vendor()


@pytest.fixture
def api(vendor: Vendor) -> httpx.Client:
    return vendor.client()
