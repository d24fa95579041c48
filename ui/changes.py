"""Database change sets delivered to the GUI thread, throttled.

The writer calls its subscribers on its own thread after every commit. :class:`ChangeFeed`
collects the touched ids of the entity types it watches and emits ``changed`` on the GUI thread
at most once per ``interval_ms``, so a burst of writes (a sync batch, a bulk edit) repaints once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot


class ChangeSetLike(Protocol):
    @property
    def changes(self) -> dict[str, frozenset[str]]: ...


Subscribe = Callable[[Callable[[ChangeSetLike], None]], None]


class ChangeFeed(QObject):
    changed = Signal(object)  # dict: entity type -> frozenset of ids (empty = unknown/many)
    _poke = Signal()

    def __init__(self, subscribe: Subscribe, kinds: Iterable[str], *, interval_ms: int = 100,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds = frozenset(kinds)
        self._lock = threading.Lock()
        self._pending: dict[str, set[str]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._flush)
        self._poke.connect(self._arm)
        subscribe(self._on_commit)

    def _on_commit(self, changes: ChangeSetLike) -> None:  # on the writer thread
        wanted = {k: v for k, v in changes.changes.items() if k in self._kinds}
        if not wanted or not shiboken6.isValid(self):
            return
        with self._lock:
            for kind, ids in wanted.items():
                self._pending.setdefault(kind, set()).update(ids)
        self._poke.emit()

    @Slot()
    def _arm(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        if pending:
            self.changed.emit({k: frozenset(v) for k, v in pending.items()})
