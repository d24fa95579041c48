"""A product's images through the service: stored with the outbox row, reordered, alt text,
removed; a refused file writes nothing (no row, no outbox row, no files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from local_db.tables import outbox, product_images
from tests.conftest import ShopFixture
from vendor_console.errors import ValidationError
from vendor_console.images import ImageRejected
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.product_images import ProductImageService


def picture(path: Path, colour: str, size: tuple[int, int] = (900, 600)) -> Path:
    Image.new("RGB", size, colour).save(path, "PNG")
    return path


def counts(shop: ShopFixture) -> tuple[int, int]:
    with shop.db.read() as conn:
        return (conn.execute(select(func.count()).select_from(product_images)).scalar_one(),
                conn.execute(select(func.count()).select_from(outbox)
                             .where(outbox.c.resource_type == "product_image")).scalar_one())


@pytest.fixture
def product(shop: ShopFixture) -> str:
    return CatalogService(shop.db).create_product(shop.owner, ProductDraft(
        name="Mug", variants=[VariantDraft(price=1200)])).id


def test_add_reorder_alt_text_remove(shop: ShopFixture, product: str, tmp_path: Path) -> None:
    service = ProductImageService(shop.db, tmp_path / "images")
    first = service.add(shop.owner, product, picture(tmp_path / "a.png", "red"), "Red mug")
    second = service.add(shop.owner, product, picture(tmp_path / "b.png", "blue"))
    assert (first.position, second.position) == (0, 1)
    assert (first.width, first.height) == (900, 600)
    assert (tmp_path / "images" / first.file_name).exists()
    assert first.file(320).endswith("-320.webp") and first.lqip.startswith("data:image/webp")
    assert first.alt_text == "Red mug"

    order = service.reorder(shop.owner, product, [second.id, first.id])
    assert [i.id for i in order] == [second.id, first.id]
    service.set_alt_text(shop.owner, second.id, "  Blue   mug ")
    assert service.images(product)[0].alt_text == "Blue mug"
    service.remove(shop.owner, first.id)
    assert [i.id for i in service.images(product)] == [second.id]
    assert not (tmp_path / "images" / first.file_name).exists()
    with shop.db.read() as conn:
        ops = conn.execute(select(outbox.c.operation).where(
            outbox.c.resource_type == "product_image").order_by(outbox.c.created_at,
                                                                 outbox.c.id)).scalars().all()
    assert ops == ["create", "create", "reorder", "update", "delete"]


def test_refused_files_change_nothing(shop: ShopFixture, product: str, tmp_path: Path) -> None:
    service = ProductImageService(shop.db, tmp_path / "images")
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not an image at all" * 20)
    with pytest.raises(ImageRejected):
        service.add(shop.owner, product, bad)
    assert counts(shop) == (0, 0)
    assert not (tmp_path / "images").exists() or list((tmp_path / "images").iterdir()) == []

    good = picture(tmp_path / "a.png", "red")
    service.add(shop.owner, product, good)
    files = sorted(p.name for p in (tmp_path / "images").iterdir())
    with pytest.raises(ValidationError, match=r"already has a\.png"):
        service.add(shop.owner, product, good)
    with pytest.raises(ValidationError, match="at most 500"):
        service.add(shop.owner, product, picture(tmp_path / "c.png", "green"), "x" * 501)
    assert counts(shop) == (1, 1)
    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == files
