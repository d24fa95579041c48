"""Garbage-collector policy of the desktop app: freeze what start-up built.

CPython's full (oldest-generation) collection walks every tracked container. After start-up
those are overwhelmingly long-lived: modules, classes, Qt wrappers, SQLAlchemy metadata, the
open core. Walking them again on every full collection costs tens of milliseconds on a loaded
2-core machine, and a full collection can fall inside any keystroke. ``gc.freeze()`` moves
every object alive now into a permanent generation the collector no longer walks; objects
made afterwards are collected as before. The price: a cycle that is garbage at the moment of
freezing is never freed (start-up leaves little; the app is long-running but that set is
fixed). Called once, after the first paint and the database opened (``gui_entry``).
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> int:
    """Move every object tracked now to the permanent generation; returns how many are
    frozen in all."""
    gc.freeze()
    return gc.get_freeze_count()
