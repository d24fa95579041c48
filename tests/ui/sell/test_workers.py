"""Background work: results and expected errors come back on the GUI thread."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui import workers
from vendor_console.errors import NotFound


def test_result_and_failure_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    seen: list[tuple[str, object, int]] = []
    workers.run_in_background(
        threading.get_ident,
        on_success=lambda tid: seen.append(("ok", tid, threading.get_ident())))

    def fail() -> None:
        raise NotFound("That sale was not found.")

    workers.run_in_background(
        fail, on_failure=lambda _e, msg: seen.append(("failed", msg, threading.get_ident())),
        on_done=lambda: seen.append(("done", None, threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert {kind for kind, _, _ in seen} == {"ok", "failed", "done"}
    assert all(tid == gui for _, _, tid in seen)  # every callback on the GUI thread
    ok = next(value for kind, value, _ in seen if kind == "ok")
    assert ok != gui  # the work itself ran elsewhere
    assert ("failed", "That sale was not found.", gui) in seen


def test_callbacks_of_a_closed_widget_are_dropped(qtbot: QtBot) -> None:
    owner = QWidget()
    gate = threading.Event()
    called: list[int] = []
    job = workers.run_in_background(lambda: gate.wait(5), on_success=lambda _r: called.append(1),
                                    owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: job.done)
    assert called == []
