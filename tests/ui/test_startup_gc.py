"""Once the database is open after the first paint, start-up's objects are frozen out of the
collector's full passes (``vendor_console.gc_policy``)."""

from __future__ import annotations

import gc
from pathlib import Path


def test_startup_freezes_what_it_built(tmp_path: Path) -> None:
    from vendor_console.gui_entry import Startup
    from vendor_console.paths import DataPaths

    gc.unfreeze()
    startup = Startup(DataPaths(tmp_path), demo=False)
    try:
        assert gc.get_freeze_count() == 0
        startup.open()
        assert startup.core is not None
        assert gc.get_freeze_count() > 0
        assert not any(o is startup.core for o in gc.get_objects())  # not walked any more
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
        startup.close()
