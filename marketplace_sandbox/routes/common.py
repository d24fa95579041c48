"""What every router module uses."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter

from marketplace_sandbox import catalog, faults
from marketplace_sandbox.context import AppContext
from marketplace_sandbox.idempotency import IdempotentRoute
from marketplace_sandbox.models import categories, products, variants
from marketplace_sandbox.problems import Problem
from marketplace_sandbox.vendors import update_vendor

LIST_PREFIX = "l_"


def api_router(tag: str) -> APIRouter:
    return APIRouter(route_class=IdempotentRoute, tags=[tag])


def list_cursor(pk: int) -> str:
    return f"{LIST_PREFIX}{pk:x}"


def parse_list_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        if not cursor.startswith(LIST_PREFIX):
            raise ValueError(cursor)
        return int(cursor[len(LIST_PREFIX):], 16)
    except ValueError:
        raise Problem(400, "invalid_cursor", f"{cursor!r} is not a list cursor") from None


def page(data: list[Any], next_pk: int | None) -> dict[str, Any]:
    return {"data": data, "next_cursor": list_cursor(next_pk) if next_pk is not None else None,
            "has_more": next_pk is not None}


def concurrent_edit(ctx: AppContext, vendor_id: str, resource_type: str,
                    resource_id: str | None = None) -> None:
    """Test fault concurrent_edit: someone else edits the resource first."""
    if faults.active("concurrent_edit") is None:
        return
    tables = {"category": categories, "product": products, "variant": variants}
    with contextlib.suppress(Problem), ctx.db.write() as tx:
        if resource_type == "vendor":
            update_vendor(tx, vendor_id, lambda _doc: None, catalog.DASHBOARD)
        else:
            assert resource_id is not None
            catalog.touch(tx, tables[resource_type], resource_type, vendor_id, resource_id)


def injected_rejection(atomic: bool, index: int) -> Problem | None:
    """Test fault partial_batch: odd-indexed items of non-atomic batches fail."""
    if atomic or index % 2 == 0 or faults.active("partial_batch") is None:
        return None
    return Problem(503, "temporarily_unavailable", "Rejected by the partial_batch test fault")
