from __future__ import annotations

from pathlib import Path

import pytest

from marketplace_sandbox.auth import authenticate
from marketplace_sandbox.cli import main
from marketplace_sandbox.db import Database


def test_seed_demo_prints_a_working_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["seed", "--demo", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "Hazel & Rye" in out
    api_key = next(line.split(": ", 1)[1] for line in out.splitlines()
                   if line.startswith("api key"))
    db = Database(url)
    try:
        credential = authenticate(db, f"Bearer {api_key}")
    finally:
        db.dispose()
    assert credential.kind == "api_key"
