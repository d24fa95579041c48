"""The kill test: tills SIGKILLed at random points during 1,000 counter sales, stock edits and
order actions while customers order online; afterwards server and till agree exactly.
With either test-only switch (idempotency off, cursor outside the page transaction) it fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.switches import CURSOR_OUTSIDE_TX, NO_IDEMPOTENCY
from tests.sandbox.conftest import Sandbox
from tests.sync.killtest import kill_test
from tests.sync.memkeyring import MemoryKeyring


@pytest.mark.timeout(900)
def test_kill_test_loses_nothing_and_doubles_nothing(sandbox: Sandbox, tmp_path: Path,
                                                     memory_keyring: MemoryKeyring) -> None:
    report = kill_test(sandbox, tmp_path, memory_keyring, ops=1000, seed=20261207)
    print(f"kill test: {report.ops} ops, {report.kills} kills, {report.processes} processes, "
          f"{report.orders_placed} orders placed, counts {report.counts}")
    assert report.ops >= 1000
    assert report.kills >= 5
    assert report.problems == []


@pytest.mark.timeout(900)
@pytest.mark.parametrize("switch", [NO_IDEMPOTENCY, CURSOR_OUTSIDE_TX])
def test_kill_test_catches_each_broken_switch(sandbox: Sandbox, tmp_path: Path,
                                              memory_keyring: MemoryKeyring, switch: str) -> None:
    report = kill_test(sandbox, tmp_path, memory_keyring, ops=250, seed=7, switches=switch,
                       batch=60, kill_after=(1.5, 5.0), complete_share=0.0)
    print(f"{switch}: {report.ops} ops, {report.kills} kills: {report.problems}")
    assert report.problems, f"the kill test did not notice {switch}"
