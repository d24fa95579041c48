"""Undoable catalog edits for a ``QUndoStack``.

An edit is written first (on a worker, through the services); only once it is stored is its
command pushed, carrying what puts it back. ``undo``/``redo`` run the stored patches again
through the same services, so every undo is itself a normal, synced, audited edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from vendor_console.services.catalog_bulk import Patch

Runner = Callable[[Callable[[], object], str], None]  # (work, what) -> runs it on a worker


class WrittenCommand(QUndoCommand):
    """An edit already written; ``redo`` the first time (on push) does nothing."""

    def __init__(self, text: str, run: Runner, do: Callable[[], object],
                 undo: Callable[[], object]) -> None:
        super().__init__(text)
        self._run, self._do, self._undo = run, do, undo
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run(self._do, f"Redo {self.text().lower()}")

    def undo(self) -> None:
        self._run(self._undo, f"Undo {self.text().lower()}")


def patch_command(text: str, run: Runner, apply: Callable[[list[Patch]], object],
                  done: tuple[Patch, ...], inverse: tuple[Patch, ...]) -> WrittenCommand:
    """A command over catalog patches: ``done`` was written, ``inverse`` puts it back."""
    return WrittenCommand(text, run, lambda: apply(list(done)), lambda: apply(list(inverse)))
