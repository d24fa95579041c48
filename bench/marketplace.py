"""The marketplace side of the sync and orders benches: the sandbox's database built with the
bench vendor (catalog and order history), and a till paired with the served sandbox, its tokens
in an in-memory keyring (no OS keyring on a bench machine)."""

from __future__ import annotations

from pathlib import Path

from keyring.backend import KeyringBackend

from sync.client import ApiClient
from sync.keystore import TokenStore


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def build_server(path: Path, products: int, lines: int) -> tuple[str, str, str]:
    """A sandbox database at ``path`` with the bench vendor's ``products`` and ``lines`` order
    lines; returns (database URL, vendor id, API key), ready for ``bench.serve``."""
    from marketplace_sandbox import bench as server_bench
    from marketplace_sandbox.db import Database as ServerDatabase

    url = f"sqlite:///{path}"
    sdb = ServerDatabase(url)
    sdb.create_schema()
    vendor_id, api_key = server_bench.build(sdb, products, lines)
    sdb.dispose()
    return url, vendor_id, api_key


async def pair(server: str, store: TokenStore, api_key: str) -> None:
    client = ApiClient(server, store)
    try:
        await client.pair(api_key=api_key, device_name="bench")
    finally:
        await client.aclose()
