"""5. Cold start to a painted window vs a bare PySide6 window, fresh processes, offscreen.

Both commands run ``runs`` times, alternating, after a warm-up run each (which also writes
the bytecode caches an installed app would ship with). Each process is given ``VENDOR_CONSOLE_T0``
(``time.time()`` taken just before it is spawned) and prints how long after that it painted
its first frame, so process teardown is not counted for either. The app is also timed to
"ready" (database opened on its worker thread and the status bar filled in).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Report, median, verdict

BARE = """
import os, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not Window.painted:
            Window.painted = True
            t0 = float(os.environ["VENDOR_CONSOLE_T0"])
            print(f"milestone first-paint {(time.time() - t0) * 1000:.1f} ms", flush=True)
            QTimer.singleShot(0, app.quit)

app = QApplication([])
window = Window()
window.setCentralWidget(QTableView())
window.resize(1280, 800)
window.show()
app.exec()
"""
MILESTONE = re.compile(r"^milestone (\S+) ([0-9.]+) ms$", re.MULTILINE)


def _milestones(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(cmd, env={**env, "VENDOR_CONSOLE_T0": repr(time.time())},
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {done.returncode}: {done.stderr[-800:]}")
    found = {name: float(ms) / 1000 for name, ms in MILESTONE.findall(done.stdout)}
    if "first-paint" not in found:
        raise RuntimeError(f"{cmd[:3]} printed no first-paint milestone: {done.stdout[-400:]}")
    return found


def run(report: Report, work: Path, *, runs: int) -> None:
    print(f"[5] cold start, {runs} fresh processes each", flush=True)
    # Bytecode caching on for both (as in an installed app, which ships .pyc files): with
    # PYTHONDONTWRITEBYTECODE set, as on some CI machines, every start would compile the
    # app's sources and PySide6's signature modules again. The warm-up runs write the caches.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    data_dir = work / "startup-data"
    app = [sys.executable, "-m", "vendor_console", "--data-dir", str(data_dir),
           "--no-crash-dialog", "--quit-when-ready"]
    bare = [sys.executable, "-c", BARE]
    try:
        _milestones(app, env)  # first run creates and migrates the database: not a cold start
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        report.add("5 cold start", "vendor-console first paint", "not available",
                   "", "<= 1.5x bare", "")
        report.notes.append(f"cold start: the app could not run: {exc}")
        return
    _milestones(bare, env)
    paint: list[float] = []
    ready: list[float] = []
    base: list[float] = []
    for _ in range(runs):
        base.append(_milestones(bare, env)["first-paint"])
        ours = _milestones(app, env)
        paint.append(ours["first-paint"])
        ready.append(ours.get("ready", float("nan")))
    ratio = median(paint) / median(base)
    report.add("5 cold start", "vendor-console to first paint (median)",
               f"{median(paint) * 1e3:.0f} ms = {ratio:.2f}x bare",
               f"bare PySide6 window {median(base) * 1e3:.0f} ms", "<= 1.5x bare",
               verdict(ratio <= 1.5))
    report.add("5 cold start", "to ready: database open, status shown (median)",
               f"{median(ready) * 1e3:.0f} ms", "", "info", "")
