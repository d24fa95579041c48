"""Helpers shared by the resource modules: versions and If-Match, loading and saving documents,
validation errors with JSON pointers, decimal quantities as milli-units."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Row, Table, select, update

from marketplace_sandbox.jsonutil import dumps, loads
from marketplace_sandbox.problems import Problem, field_error, not_found, validation_failed

M = TypeVar("M", bound=BaseModel)
SYSTEM = {"type": "system", "id": None}
CUSTOMER = {"type": "customer", "id": None}
QTY_SCALE = 1000  # quantities are stored as integer milli-units
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,12})"?\s*$')


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def parse_if_match(raw: str | None, *, required: bool) -> int | None:
    """The version an If-Match names; None for `*` or when optional and absent."""
    if raw is None or not raw.strip():
        if required:
            raise Problem(428, "precondition_required",
                          'Send If-Match: "<version>" (from the ETag of your last GET)')
        return None
    if raw.strip() == "*":
        return None
    match = _ETAG.match(raw)
    if match is None:
        raise Problem(400, "malformed_request", 'If-Match must look like "7"')
    return int(match.group(1))


def check_version(expected: int | None, current: int, what: str) -> None:
    if expected is not None and expected != current:
        raise Problem(412, "version_mismatch",
                      f"{what} is at version {current}; you sent If-Match \"{expected}\"",
                      current_version=current)


def pointer_errors(exc: ValidationError, prefix: str = "") -> list[dict[str, Any]]:
    return [{"pointer": prefix + "".join(f"/{p}" for p in e["loc"]),
             "code": e["type"], "detail": e["msg"]} for e in exc.errors()]


def validate(model: type[M], data: Any, prefix: str = "") -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_failed(pointer_errors(exc, prefix)) from None


def load_row(conn: Connection, table: Table, vendor_id: str, resource_id: str, what: str, *,
             for_update: bool = False, include_deleted: bool = False) -> Row[Any]:
    query = select(table).where(table.c.id == resource_id, table.c.vendor_id == vendor_id)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None or (not include_deleted and "deleted" in table.c and row.deleted):
        raise not_found(f"{what} {resource_id}")
    return row


def doc_of(row: Row[Any] | Any) -> dict[str, Any]:
    doc: dict[str, Any] = loads(row.doc)
    return doc


def save_doc(conn: Connection, table: Table, row: Row[Any], doc: dict[str, Any],
             **columns: Any) -> None:
    """Write a new version of a document, guarded by the version read (lost-update safe)."""
    result = conn.execute(update(table).where(table.c.id == row.id,
                                              table.c.version == row.version)
                          .values(doc=dumps(doc), version=doc["version"], **columns))
    if result.rowcount != 1:
        raise Problem(412, "version_mismatch", "The resource changed concurrently; refetch",
                      current_version=None)


def to_milli(text: str, precision: int, pointer: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise field_error(pointer, "invalid_quantity", f"{text!r} is not a decimal") from None
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > precision:
        raise field_error(pointer, "too_precise",
                          f"{text} has more than {precision} decimal places for this unit")
    return int(value * QTY_SCALE)


def fmt_qty(milli: int, precision: int) -> str:
    value = Decimal(milli) / QTY_SCALE
    return f"{value:.{precision}f}"
