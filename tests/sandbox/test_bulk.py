"""Exports and imports run as jobs; their progress is in the feed."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import orjson

from tests.sandbox.conftest import key, make_product
from tests.sandbox.test_api import feed_after, head

SHOPIFY = (
    "Handle,Title,Body (HTML),Tags,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status\n"
    """sourdough,Sourdough loaf,<p>Slow</p>,"bread, vegan",Size,Whole,SD-W,6.50,active
sourdough,,,,Size,Half,SD-H,3.60,
jam,Damson jam,,,Title,Default Title,JAM-1,5.50,draft
broken,Broken thing,,,,,BR-1,not-a-price,active
""")


def finished_job(api: httpx.Client, cursor: str, job_id: str) -> dict[str, Any]:
    for _ in range(20):
        page = feed_after(api, cursor, wait=10, types="job")
        for change in page["data"]:
            if change["resource_id"] == job_id and change["data"]["status"] in (
                    "SUCCEEDED", "FAILED"):
                data: dict[str, Any] = change["data"]
                return data
        cursor = page["next_cursor"]
    raise AssertionError("the job did not finish")


def test_export_jsonl_and_csv(api: httpx.Client) -> None:
    make_product(api, name="Exported loaf")
    cursor = head(api)
    r = api.post("/exports", headers=key(), json={"resources": ["products", "variants"]})
    assert r.status_code == 202 and r.headers["location"].endswith(r.json()["id"])
    job = finished_job(api, cursor, r.json()["id"])
    assert job["status"] == "SUCCEEDED"
    assert job["cursor"].startswith("c_") and job["result"]["counts"]["products"] >= 1
    lines = [orjson.loads(x) for x in api.get(job["download_url"].removeprefix("/vendor/v1"))
             .content.splitlines()]
    assert {x["type"] for x in lines} == {"product", "variant"}
    assert "Exported loaf" in {x["data"].get("name") for x in lines}
    r = api.post("/exports", headers=key(), json={"format": "csv"})
    job = finished_job(api, cursor, r.json()["id"])
    text = api.get(f"/jobs/{job['id']}/download").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and rows[0]["product_name"] == "Exported loaf"
    assert api.get(f"/jobs/{job['id']}").json()["status"] == "SUCCEEDED"


def test_shopify_import_dry_run_then_real_then_again(api: httpx.Client) -> None:
    def run(dry_run: bool) -> dict[str, Any]:
        cursor = head(api)
        r = api.post("/imports", headers=key(),
                      data={"source_format": "shopify_products", "dry_run": str(dry_run)},
                      files={"file": ("products.csv", SHOPIFY.encode(), "text/csv")})
        assert r.status_code == 202, r.text
        return finished_job(api, cursor, r.json()["id"])

    dry = run(True)
    assert dry["result"]["counts"] == {"created": 2, "rejected": 1}
    assert api.get("/products", params={"sku": "SD-W"}).json()["data"] == []
    real = run(False)
    assert real["result"]["counts"] == {"created": 2, "rejected": 1}
    broken = next(x for x in real["result"]["rows"] if x["status"] == "rejected")
    assert broken["ref"] == "broken" and broken["problem"]["code"] == "validation_failed"
    loaf = api.get("/products", params={"sku": "SD-W"}).json()["data"][0]
    assert [v["price"]["amount"] for v in loaf["variants"]] == [650, 360]
    assert loaf["tags"] == ["bread", "vegan"]
    again = run(False)
    assert again["result"]["counts"] == {"skipped": 2, "rejected": 1}


def test_native_jsonl_import_and_bad_files(api: httpx.Client) -> None:
    lines = [
        {"type": "CATEGORY", "client_ref": "cat-1", "data": {"name": "Cakes"}},
        {"type": "PRODUCT", "client_ref": "prd-1", "data": {"name": "Lemon cake"}},
        {"type": "VARIANT", "client_ref": "var-1", "product_client_ref": "prd-1",
         "data": {"name": "Slice", "price": {"amount": 350, "currency": "EUR"}}},
    ]
    body = b"\n".join(orjson.dumps(x) for x in lines) + b"\n{oops\n"
    cursor = head(api)
    r = api.post("/imports", headers=key(), data={"source_format": "native_jsonl"},
                 files={"file": ("catalog.jsonl", body, "application/x-ndjson")})
    job = finished_job(api, cursor, r.json()["id"])
    assert job["result"]["counts"] == {"created": 3, "rejected": 1}
    r = api.post("/imports", headers=key(), data={"source_format": "excel97"},
                 files={"file": ("x.xls", b"\xd0\xcf", "application/octet-stream")})
    assert r.status_code == 422
    cursor = head(api)
    r = api.post("/imports", headers=key(), data={"source_format": "shopify_products"},
                 files={"file": ("x.csv", b"\xff\xfe\x00binary", "text/csv")})
    job = finished_job(api, cursor, r.json()["id"])
    assert job["status"] == "FAILED" and job["errors"][0]["code"] == "validation_failed"
