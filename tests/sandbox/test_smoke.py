from __future__ import annotations

import httpx

from tests.sandbox.conftest import Vendor, key, make_product


def test_me_and_product(vendor: Vendor, api: httpx.Client) -> None:
    r = api.get("/me")
    assert r.status_code == 200, r.text
    assert r.json()["vendor"]["id"] == vendor.vendor_id
    product = make_product(api)
    r = api.get(f"/products/{product['id']}")
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{product["version"]}"'
    r = api.get("/changes")
    assert r.status_code == 200, r.text
    types = [c["type"] for c in r.json()["data"]]
    assert types[:2] == ["vendor.created", "location.created"]
    assert "product.created" in types and "variant.created" in types
    r = api.post("/products", json={"name": "x"})
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_missing"
    r = api.post("/products", headers={**key(), "Content-Type": "application/json"},
                 content=b"{not json")
    assert r.status_code == 400, r.text
