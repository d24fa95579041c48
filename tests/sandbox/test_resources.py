"""Vendor settings, catalog edits, stock reservations and the rest of the order flows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.sandbox.conftest import Vendor, key, make_product
from tests.sandbox.test_api import _change, _on_hand, feed_after, head


def test_vendor_settings_hours_and_pause(api: httpx.Client) -> None:
    r = api.get("/vendor")
    etag = r.headers["etag"]
    r = api.patch("/vendor", headers={**key(), "If-Match": etag},
                  json={"name": "Renamed", "fulfillment": {"delivery": {"enabled": True}}})
    assert r.status_code == 200, r.text
    assert r.json()["fulfillment"]["delivery"]["enabled"] is True
    assert r.json()["fulfillment"]["pickup"] is True  # merge patch kept the sibling
    r2 = api.patch("/vendor", headers={**key(), "If-Match": etag}, json={"name": "Stale"})
    assert r2.status_code == 412
    r3 = api.patch("/vendor", headers={**key(), "If-Match": r.headers["etag"]},
                   json={"timezone": "Mars/Olympus"})
    assert r3.status_code == 422 and r3.json()["errors"][0]["pointer"] == "/timezone"
    hours = [{"day": "MON", "open": "08:00", "close": "14:00"}]
    assert api.put("/vendor/hours", headers=key(), json={"hours": hours}).status_code == 428
    r = api.put("/vendor/special-hours", headers={**key(), "If-Match": r.headers["etag"]},
                json={"special_hours": [{"date": "2026-12-25", "closed": True}]})
    assert r.status_code == 200 and r.json()["special_hours"][0]["closed"] is True
    r = api.post("/vendor/pause", headers=key(), json={"mode": "BUSY", "extra_prep_minutes": 15})
    assert r.json()["busy"]["extra_prep_minutes"] == 15
    r = api.post("/vendor/resume", headers=key())
    assert r.status_code == 200 and r.json()["pause"]["state"] == "ONLINE"


def test_categories_variants_and_availability(api: httpx.Client) -> None:
    r = api.post("/categories", headers=key(), json={"name": "Breads"})
    category = r.json()
    product = make_product(api)
    url = f"/products/{product['id']}"
    r = api.patch(url, headers={**key(), "If-Match": api.get(url).headers["etag"]},
                  json={"category_id": category["id"]})
    assert r.status_code == 200
    r = api.patch(url, headers={**key(), "If-Match": api.get(url).headers["etag"]},
                  json={"category_id": "cat_missing"})
    assert r.status_code == 422
    r = api.post(f"{url}/variants", headers=key(),
                 json={"name": "Half", "price": {"amount": 360, "currency": "EUR"}})
    assert r.status_code == 201
    variant = r.json()
    assert len(api.get(url).json()["variants"]) == 2
    vurl = f"/variants/{variant['id']}"
    r = api.patch(vurl, headers={**key(), "If-Match": '"1"'},
                  json={"price": {"amount": 380}})
    assert r.status_code == 200 and r.json()["price"] == {"amount": 380, "currency": "EUR"}
    r = api.post(f"{vurl}/availability", headers=key(), json={"status": "SOLD_OUT"})
    assert r.json()["availability"]["status"] == "SOLD_OUT"
    r = api.delete(vurl, headers={**key(), "If-Match": api.get(vurl).headers["etag"]})
    assert r.status_code == 200 and api.get(vurl).status_code == 404
    assert len(api.get(url).json()["variants"]) == 1
    curl = f"/categories/{category['id']}"
    assert api.delete(curl, headers={**key(), "If-Match": '"1"'}).status_code == 200
    assert category["id"] not in {c["id"] for c in api.get("/categories").json()["data"]}
    r = api.get("/products", params={"sku": "SD-W", "limit": 1})
    assert r.status_code == 200 and len(r.json()["data"]) == 1


def test_orders_reserve_and_consume_stock(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api)["variants"][0]["id"]
    now = datetime.now(UTC)
    api.post("/inventory/changes", headers=key(), json={"changes": [
        _change(vendor, variant_id, "PHYSICAL_COUNT", "3", now)]})
    order = vendor.place_order(variant_id, "2", fulfillment_type="DELIVERY")
    url = f"/orders/{order['id']}"
    api.post(f"{url}/accept", headers=key(), json={"prep_minutes": 20})
    level = api.get("/inventory/levels", params={"variant_id": variant_id}).json()["data"][0]
    assert (level["on_hand"], level["committed"], level["available"]) == ("3", "2", "1")
    r = api.post(f"{url}/adjust-ready-time", headers=key(), json={"prep_minutes": 30})
    assert r.status_code == 200
    assert api.post(f"{url}/complete", headers=key(), json={}).status_code == 409  # not READY
    for action in ("mark-ready", "dispatch", "complete"):
        r = api.post(f"{url}/{action}", headers=key(), json={})
        assert r.status_code == 200, (action, r.text)
    assert r.json()["status"] == "COMPLETED"
    level = api.get("/inventory/levels", params={"variant_id": variant_id}).json()["data"][0]
    assert (level["on_hand"], level["committed"]) == ("1", "0")
    ledger = api.get("/inventory/changes", params={"variant_id": variant_id, "limit": 1})
    assert ledger.json()["has_more"] is True
    nxt = api.get("/inventory/changes", params={"variant_id": variant_id,
                                                "after": ledger.json()["next_cursor"]})
    assert nxt.json()["data"][0]["reason"] == "order_fulfilled"
    done = api.get("/orders", params={"status": "COMPLETED"}).json()["data"]
    assert order["id"] in {o["id"] for o in done}


def test_stock_out_marks_sold_out_and_back(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api)["variants"][0]["id"]
    now = datetime.now(UTC)

    def availability() -> str:
        status: str = api.get(f"/variants/{variant_id}").json()["availability"]["status"]
        return status

    api.post("/inventory/changes", headers=key(), json={"changes": [
        _change(vendor, variant_id, "PHYSICAL_COUNT", "1", now)]})
    assert availability() == "AVAILABLE"
    later = now + timedelta(seconds=1)  # adjustments at the count's own instant are in it
    api.post("/inventory/changes", headers=key(), json={"changes": [
        _change(vendor, variant_id, "ADJUSTMENT", "-1", later, reason="sold_pos")]})
    assert _on_hand(api, variant_id) == "0" and availability() == "SOLD_OUT"
    api.post("/inventory/changes", headers=key(), json={"changes": [
        _change(vendor, variant_id, "ADJUSTMENT", "5", later)]})
    assert availability() == "AVAILABLE"


def test_reject_can_mark_items_unavailable(vendor: Vendor, api: httpx.Client) -> None:
    variant_id = make_product(api, track=False)["variants"][0]["id"]
    order = vendor.place_order(variant_id)
    cursor = head(api)
    r = api.post(f"/orders/{order['id']}/reject", headers=key(), json={
        "reason_code": "ITEM_UNAVAILABLE", "mark_unavailable": True})
    assert r.status_code == 200 and r.json()["cancel_reason"] == "VENDOR_REJECTED"
    assert r.json()["status_history"][-1]["reason_code"] == "ITEM_UNAVAILABLE"
    page = feed_after(api, cursor, types="variant.availability_changed,order.status_changed")
    assert [c["type"] for c in page["data"]] == ["variant.availability_changed",
                                                  "order.status_changed"]
    r = api.post(f"/orders/{order['id']}/reject", headers=key(),
                 json={"reason_code": "ITEM_UNAVAILABLE"})
    assert r.status_code == 200 and r.json()["version"] == page["data"][-1]["resource_version"]
