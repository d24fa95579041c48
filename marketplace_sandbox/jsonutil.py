"""JSON on the wire: orjson bytes responses (FastAPI's encoder is ~10x slower), merge patch."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

JSON_MEDIA_TYPE = "application/json"


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return raw_json_response(orjson.dumps(obj), status, headers)


def raw_json_response(body: bytes, status: int = 200,
                      headers: dict[str, str] | None = None) -> Response:
    from marketplace_sandbox import faults

    if faults.active("schema_drift") is not None:
        body = drift(body)
    return Response(body, status_code=status, headers=headers, media_type=JSON_MEDIA_TYPE)


def drift(body: bytes) -> bytes:
    """schema_drift: unknown members on the body and its `data` items, 9 fraction digits."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body
    if not isinstance(doc, dict):
        return body
    doc["x_new_field"] = {"added_in": "v1.99", "note": "clients must ignore unknown members"}
    items = doc.get("data")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            item["x_new_field"] = 1
            if isinstance(item.get("data"), dict):
                item["data"]["x_new_field"] = True
    stamp = doc.get("server_time")
    if isinstance(stamp, str) and stamp.endswith("Z"):
        doc["server_time"] = stamp[:-1] + "123456Z"
    return orjson.dumps(doc)


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


def dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode("utf-8")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
