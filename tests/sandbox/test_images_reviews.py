"""Images (multipart upload, attach through product PATCH) and reviews with replies."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.sandbox.conftest import Sandbox, Vendor, key, make_product
from tests.sandbox.test_api import feed_after, head


def png(width: int = 4, height: int = 3) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def test_upload_replay_attach_and_bad_images(api: httpx.Client) -> None:
    headers = key()
    data = png()
    r = api.post("/images", headers=headers, files={"file": ("loaf.png", data, "image/png")})
    assert r.status_code == 201, r.text
    image = r.json()
    assert (image["width"], image["height"], image["content_type"]) == (4, 3, "image/png")
    again = api.post("/images", headers=headers, files={"file": ("loaf.png", data, "image/png")})
    assert again.headers["idempotent-replayed"] == "true" and again.json()["id"] == image["id"]
    assert api.get(f"/images/{image['id']}/content").content == data
    cursor = head(api)
    for bad in (b"", b"not an image at all", data[:20]):
        r = api.post("/images", headers=key(), files={"file": ("x.png", bad, "image/png")})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
    r = api.post("/images", headers=key())
    assert r.status_code == 422
    assert feed_after(api, cursor)["data"] == []
    product = make_product(api)
    url = f"/products/{product['id']}"
    r = api.patch(url, headers={**key(), "If-Match": api.get(url).headers["etag"]},
                  json={"image_ids": [image["id"]]})
    assert r.status_code == 200 and r.json()["image_ids"] == [image["id"]]
    r = api.patch(url, headers={**key(), "If-Match": api.get(url).headers["etag"]},
                  json={"image_ids": ["img_missing"]})
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/image_ids/0"


def test_reviews_and_replies(sandbox: Sandbox, vendor: Vendor, api: httpx.Client) -> None:
    r = sandbox.http.post("/_test/reviews", json={"vendor_id": vendor.vendor_id, "rating": 5,
                                                  "text": "Best rye in town"})
    assert r.status_code == 201, r.text
    review_id = r.json()["id"]
    listed = api.get("/reviews").json()["data"]
    assert [x["id"] for x in listed] == [review_id]
    cursor = head(api)
    r = api.post(f"/reviews/{review_id}/reply", headers=key(), json={"text": "Thank you!"})
    assert r.status_code == 200 and r.json()["reply"]["text"] == "Thank you!"
    same = api.post(f"/reviews/{review_id}/reply", headers=key(), json={"text": "Thank you!"})
    assert same.json()["version"] == r.json()["version"]
    r = api.delete(f"/reviews/{review_id}/reply", headers=key())
    assert r.status_code == 200 and r.json()["reply"] is None
    types = [c["type"] for c in feed_after(api, cursor)["data"]]
    assert types == ["review.replied", "review.reply_deleted"]
    assert api.post("/reviews/rev_missing/reply", headers=key(),
                    json={"text": "?"}).status_code == 404
