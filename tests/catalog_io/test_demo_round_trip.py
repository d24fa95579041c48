"""The demo shop's catalog (200 products: variants, kg items, taxes, tags, stock) round-trips
through the native JSONL into a new shop, and its Square and Shopify exports import back into
the demo shop as "nothing to change"."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from local_db.database import Database
from vendor_console.catalog_io import CatalogTransfer
from vendor_console.demo import build_demo
from vendor_console.demo.builder import DRAFT
from vendor_console.services.shop import create_shop
from vendor_console.services.staff import StaffService


def _without_variant_refs(path: Path) -> list[object]:
    items = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    for item in items[1:]:
        for v in item["variants"]:
            v.pop("client_ref")
    return items


@pytest.mark.slow
def test_demo_catalog_round_trips(tmp_path: Path) -> None:
    with Database.open(tmp_path / "demo" / "shop.db") as demo, \
            Database.open(tmp_path / "new" / "shop.db") as fresh:
        build_demo(demo, days=2, images_dir=tmp_path / "images")
        create_shop(fresh, DRAFT)
        owner = StaffService(fresh).add_staff(None, "Olive", "owner", "1111")
        here, there = CatalogTransfer(demo), CatalogTransfer(fresh)
        assert here.export("jsonl", tmp_path / "demo.jsonl") == 200
        result = there.apply(owner, tmp_path / "demo.jsonl")
        assert result.created == 200 and result.counts > 0
        there.export("jsonl", tmp_path / "again.jsonl")
        assert _without_variant_refs(tmp_path / "again.jsonl") == _without_variant_refs(
            tmp_path / "demo.jsonl")
        for fmt in ("square", "shopify"):
            here.export(fmt, tmp_path / f"demo.{fmt}.csv")
            plan = here.dry_run(tmp_path / f"demo.{fmt}.csv")
            assert len(plan.of("unchanged")) == 200, fmt
            assert not plan.writes_anything and plan.rejected_rows == [], fmt
