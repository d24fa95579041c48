"""Sync tests: a real sandbox on loopback, a real shop database, an in-memory keyring."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import keyring
import pytest

from local_db.database import Database
from local_db.rawsql import dbapi
from sync.backoff import Backoff, CircuitBreaker
from sync.client import ApiClient, api_base
from sync.engine import SyncEngine
from sync.keystore import TokenStore, account_for
from tests.conftest import ShopFixture
from tests.sandbox.conftest import (
    Sandbox,
    Vendor,
    fresh_database_url,
    make_product,
    running_sandbox,
    sandbox_settings,
)
from tests.sync.memkeyring import MemoryKeyring

T = TypeVar("T")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    url = fresh_database_url(tmp_path_factory.mktemp("sync-sandbox"))
    with running_sandbox(sandbox_settings(url)) as server:
        yield server


@pytest.fixture
def vendor(sandbox: Sandbox) -> Vendor:
    return sandbox.new_vendor()


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@dataclass
class Till:
    """A paired till: its database and a sync engine (one asyncio loop per call to ``sync``)."""

    shop: ShopFixture
    vendor: Vendor
    store: TokenStore

    @property
    def db(self) -> Database:
        return self.shop.db

    def engine(self, transport: httpx.AsyncBaseTransport | None = None,
               **options: Any) -> SyncEngine:
        options.setdefault("backoff", Backoff(base_s=0.05, cap_s=0.5))
        options.setdefault("breaker", CircuitBreaker(threshold=50, cooldown_s=0.2))
        client = ApiClient(self.vendor.server.url, self.store, transport=transport)
        return SyncEngine(self.db, client, **options)

    def sync(self, transport: httpx.AsyncBaseTransport | None = None, **options: Any) -> Any:
        async def go() -> Any:
            engine = self.engine(transport, **options)
            try:
                return await engine.sync_once(max_wait_s=30)
            finally:
                await engine.client.aclose()
        return run(go())

    def scalar(self, sql: str, *params: Any) -> Any:
        with self.db.read() as conn:
            row = dbapi(conn).execute(sql, params).fetchone()
        return None if row is None else row[0]

    def rows(self, sql: str, *params: Any) -> list[Any]:
        with self.db.read() as conn:
            return dbapi(conn).execute(sql, params).fetchall()

    def variant(self, remote_id: str) -> str:
        vid = self.scalar("SELECT id FROM variants WHERE remote_id = ?", remote_id)
        assert vid is not None, f"variant {remote_id} not mirrored"
        return str(vid)


def pair(shop: ShopFixture, vendor: Vendor, name: str = "Till") -> Till:
    store = TokenStore(account_for(api_base(vendor.server.url), shop.shop_id))

    async def go() -> None:
        client = ApiClient(vendor.server.url, store)
        try:
            await client.pair(api_key=vendor.api_key, device_name=name)
        finally:
            await client.aclose()

    run(go())
    return Till(shop, vendor, store)


@pytest.fixture
def till(shop: ShopFixture, vendor: Vendor) -> Till:
    return pair(shop, vendor)


@pytest.fixture
def stocked(vendor: Vendor) -> dict[str, Any]:
    """A tracked product on the server with 10 in stock at the vendor's location."""
    import uuid

    from tests.sandbox.conftest import key

    api = vendor.client()
    product = make_product(api)
    variant = product["variants"][0]["id"]
    r = api.post("/inventory/changes", headers=key(), json={"changes": [{
        "type": "PHYSICAL_COUNT", "client_change_id": str(uuid.uuid4()), "variant_id": variant,
        "location_id": vendor.location_id, "quantity": "10",
        "occurred_at": "2026-01-01T00:00:00Z"}]})
    assert r.status_code == 200, r.text
    return {"product": product, "variant": variant, "api": api}
