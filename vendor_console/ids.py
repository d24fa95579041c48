"""Client-generated ids: UUIDv7 strings, time-ordered so new rows append to indexes."""

from __future__ import annotations

import uuid_utils


def new_id() -> str:
    """A new UUIDv7 as a 36-character lowercase string."""
    return str(uuid_utils.uuid7())


def new_idempotency_key() -> str:
    """An Idempotency-Key for an outbox row; fixed at the row's birth and never regenerated."""
    return str(uuid_utils.uuid4())
