"""The kill test: tills SIGKILLed at random points during 1,000 counter sales, stock edits and
order actions while customers order online; afterwards server and till agree exactly.
With either test-only switch (idempotency off, cursor outside the page transaction) it fails.

The cursor switch loses data only when a till dies after the cursor committed and before its
page did, so that case kills tills there and nowhere else (``in_page``): inside the
transaction applying a feed page with a new order. The same kills on the correct code lose
nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sync.switches import CURSOR_OUTSIDE_TX, NO_IDEMPOTENCY
from tests.sandbox.conftest import Sandbox
from tests.sync.killtest import kill_test
from tests.sync.memkeyring import MemoryKeyring


@pytest.mark.timeout(900)
def test_kill_test_loses_nothing_and_doubles_nothing(sandbox: Sandbox, tmp_path: Path,
                                                     memory_keyring: MemoryKeyring) -> None:
    report = kill_test(sandbox, tmp_path, memory_keyring, ops=1000, seed=20261207,
                       kill_after=None)
    print(f"kill test: {report.ops} ops, {report.kills} kills, {report.processes} processes, "
          f"{report.orders_placed} orders placed, counts {report.counts}")
    assert report.ops >= 1000
    assert report.kills >= 5
    assert report.problems == []


# How each switch's bug is brought out: retries after commit_then_500 with idempotency off
# (any kills will do); for the cursor, at least 3 kills between the cursor's commit and its
# page's, each losing a new order that no later change brings back (no customer cancels).
IN_PAGE: dict[str, Any] = {"in_page": True, "min_kills": 3, "cancel_share": 0.0}
KILLS: dict[str, dict[str, Any]] = {
    NO_IDEMPOTENCY: {"kill_after": (1.5, 5.0)},
    CURSOR_OUTSIDE_TX: IN_PAGE,
}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("switch", [NO_IDEMPOTENCY, CURSOR_OUTSIDE_TX])
def test_kill_test_catches_each_broken_switch(sandbox: Sandbox, tmp_path: Path,
                                              memory_keyring: MemoryKeyring, switch: str) -> None:
    report = kill_test(sandbox, tmp_path, memory_keyring, ops=250, seed=7, switches=switch,
                       batch=60, complete_share=0.0, **KILLS[switch])
    print(f"{switch}: {report.ops} ops, {report.kills} kills {report.page_kills}: "
          f"{report.problems}")
    if switch == CURSOR_OUTSIDE_TX:  # every kill landed between the cursor and its page
        assert len(report.page_kills) == report.kills >= 3
        assert all(k["cursor_past_page"] for k in report.page_kills), report.page_kills
        assert any("missing on the till" in p for p in report.problems), report.problems
    assert report.problems, f"the kill test did not notice {switch}"


@pytest.mark.timeout(900)
def test_kills_inside_feed_pages_lose_nothing(sandbox: Sandbox, tmp_path: Path,
                                              memory_keyring: MemoryKeyring) -> None:
    """The cursor case's kills on the correct code: the cursor commits with its page, so a
    till dying inside the page loses nothing (the switch, not the kill point, loses data)."""
    report = kill_test(sandbox, tmp_path, memory_keyring, ops=250, seed=7, batch=60,
                       complete_share=0.0, **IN_PAGE)
    print(f"in-page kills: {report.ops} ops, {report.kills} kills {report.page_kills}, "
          f"counts {report.counts}")
    assert len(report.page_kills) == report.kills >= 3
    assert not any(k["cursor_past_page"] for k in report.page_kills), report.page_kills
    assert report.problems == []
