"""Test-only switches that break sync on purpose, so the kill test can show it catches bugs.

Set ``VENDOR_CONSOLE_SYNC_TEST_SWITCHES`` to a comma-separated list; never set in production.
- ``no_idempotency``: every send gets a fresh Idempotency-Key (retries can apply twice).
- ``cursor_outside_tx``: the feed cursor is committed before the page it belongs to.
"""

from __future__ import annotations

import os

ENV = "VENDOR_CONSOLE_SYNC_TEST_SWITCHES"
NO_IDEMPOTENCY = "no_idempotency"
CURSOR_OUTSIDE_TX = "cursor_outside_tx"


def enabled(name: str) -> bool:
    return name in {s.strip() for s in os.environ.get(ENV, "").split(",") if s.strip()}
