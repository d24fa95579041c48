"""Product images made on the till go up as ``POST /images`` (the derived WebP, once even when
the server fails after committing) and are attached through the product PATCH; reorder and
remove change the marketplace's list; nothing is dead-lettered."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from PIL import Image

from tests.sync.conftest import Till
from tests.sync.faults import FaultTransport
from vendor_console.services.catalog import CatalogService
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft
from vendor_console.services.product_images import ProductImageService


def picture(path: Path, colour: str) -> Path:
    Image.new("RGB", (640, 480), colour).save(path, "PNG")
    return path


def images_of(till: Till) -> ProductImageService:
    return ProductImageService(till.db, Path(till.db.path).parent / "images")


def created_images(api: Any) -> list[str]:
    changes = api.get("/changes", params={"limit": 1000}).json()["data"]
    return [c["resource_id"] for c in changes if c["type"] == "image.created"]


def test_images_are_uploaded_attached_reordered_and_removed(till: Till, stocked: dict[str, Any],
                                                            tmp_path: Path) -> None:
    api = stocked["api"]
    remote_product = stocked["product"]["id"]
    till.sync()
    product = str(till.scalar("SELECT id FROM products WHERE remote_id = ?", remote_product))
    service = images_of(till)
    red = service.add(till.shop.owner, product, picture(tmp_path / "red.png", "red"), "Red")
    blue = service.add(till.shop.owner, product, picture(tmp_path / "blue.png", "blue"))
    faults = FaultTransport()
    faults.add("commit_then_500", "POST", "/images", times=1)
    result = till.sync(faults)
    assert result.pending == 0 and result.dead_letters == 0
    assert ("POST", "/vendor/v1/images", 500) in faults.seen

    remote = dict(till.rows("SELECT id, remote_id FROM product_images"))
    assert sorted(created_images(api)) == sorted(remote.values())  # two uploads, not three
    assert api.get(f"/products/{remote_product}").json()["image_ids"] == \
        [remote[red.id], remote[blue.id]]
    uploaded = api.get(f"/images/{remote[red.id]}").json()
    local_file = Path(till.db.path).parent / "images" / red.file_name
    assert uploaded["sha256"] == hashlib.sha256(local_file.read_bytes()).hexdigest()
    assert uploaded["content_type"] == "image/webp"

    service.reorder(till.shop.owner, product, [blue.id, red.id])
    service.set_alt_text(till.shop.owner, blue.id, "Blue")
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    assert api.get(f"/products/{remote_product}").json()["image_ids"] == \
        [remote[blue.id], remote[red.id]]

    service.remove(till.shop.owner, red.id)
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    assert api.get(f"/products/{remote_product}").json()["image_ids"] == [remote[blue.id]]


def test_an_image_of_a_product_made_offline_waits_for_the_product(
        till: Till, stocked: dict[str, Any], tmp_path: Path) -> None:
    till.sync()
    record = CatalogService(till.db).create_product(till.shop.owner, ProductDraft(
        name="Plum jam", variants=[VariantDraft(price=480, sku="PLUM-1")]))
    image = images_of(till).add(till.shop.owner, record.id,
                                picture(tmp_path / "plum.png", "purple"))
    result = till.sync()
    assert result.pending == 0 and result.dead_letters == 0
    remote_product = till.scalar("SELECT remote_id FROM products WHERE id = ?", record.id)
    remote_image = till.scalar("SELECT remote_id FROM product_images WHERE id = ?", image.id)
    assert remote_image is not None
    assert stocked["api"].get(f"/products/{remote_product}").json()["image_ids"] == \
        [remote_image]
