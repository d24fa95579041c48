"""The committed OpenAPI document (docs/openapi.json) is what the server serves.

After an intended API change: `uv run marketplace-sandbox openapi --output docs/openapi.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.sandbox.conftest import Sandbox

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_served_openapi_matches_the_committed_document(sandbox: Sandbox) -> None:
    served = sandbox.http.get("/openapi.json").json()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served == committed, (
        "the API changed: review it, then run "
        "`uv run marketplace-sandbox openapi --output docs/openapi.json`")
