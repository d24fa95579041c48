"""How the Sell page learns that the core is ready.

The database is opened on a worker after the first paint (``vendor_console.gui_entry``), so
the Sell page may be built before there is anything to sell with. The start-up worker calls
:func:`publish_core` once the core is open; the page asks :func:`current_core` when it is
built and again whenever the window refreshes its status (on the GUI thread).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the core (SQLAlchemy) must not load before the window's first paint
    from vendor_console.services.counter import CoreLike

_lock = threading.Lock()
_core: list[CoreLike] = []


def publish_core(core: CoreLike) -> None:
    """Called from any thread once the core is open."""
    with _lock:
        _core[:] = [core]


def forget_core() -> None:
    with _lock:
        _core.clear()


def current_core() -> CoreLike | None:
    with _lock:
        return _core[0] if _core else None
