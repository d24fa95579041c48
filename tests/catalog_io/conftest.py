"""Catalog import/export fixtures: the fixture files, a transfer over the test shop, counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from local_db.tables import audit_log, categories, outbox, products, stock_movements, variants
from tests.conftest import ShopFixture
from vendor_console.catalog_io import CatalogTransfer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def transfer(shop: ShopFixture) -> CatalogTransfer:
    return CatalogTransfer(shop.db)


def fixture(name: str) -> Path:
    return FIXTURES / name


def table_counts(shop: ShopFixture) -> dict[str, int]:
    """Rows in every table an import writes to: equal before and after = nothing written."""
    with shop.db.read() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                for t in (products, variants, categories, outbox, stock_movements, audit_log)}
