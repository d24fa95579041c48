"""The app freezes its start-up objects out of the collector's full passes."""

from __future__ import annotations

import gc

from vendor_console.gc_policy import freeze_long_lived


def test_freeze_moves_live_objects_to_the_permanent_generation() -> None:
    marker = [object()]
    before = gc.get_freeze_count()
    try:
        frozen = freeze_long_lived()
        assert frozen > before
        assert not any(o is marker for o in gc.get_objects())  # frozen: not walked
    finally:
        gc.unfreeze()
    assert any(o is marker for o in gc.get_objects())
