"""5. Cold start to a painted window vs a bare PySide6 window, fresh processes, offscreen.

Both commands run ``runs`` times, alternating; the figure is the median wall time from
spawning the process to its exit right after the first paint.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Report, median, verdict

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not Window.painted:
            Window.painted = True
            QTimer.singleShot(0, app.quit)

app = QApplication([])
window = Window()
window.setCentralWidget(QTableView())
window.resize(1280, 800)
window.show()
app.exec()
"""


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {done.returncode}: {done.stderr.decode()[-800:]}")
    return elapsed


def run(report: Report, work: Path, *, runs: int) -> None:
    print(f"[5] cold start, {runs} fresh processes each", flush=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    data_dir = work / "startup-data"
    app = [sys.executable, "-m", "vendor_console", "--data-dir", str(data_dir),
           "--quit-after-paint"]
    bare = [sys.executable, "-c", BARE]
    try:
        _time(app, env)  # first run creates and migrates the database: not a cold start
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        report.add("5 cold start", "vendor-console --quit-after-paint", "not available",
                   "", "<= 1.5x bare", "")
        report.notes.append(f"cold start: the app could not run with --quit-after-paint: {exc}")
        return
    _time(bare, env)
    ours: list[float] = []
    base: list[float] = []
    for _ in range(runs):
        base.append(_time(bare, env))
        ours.append(_time(app, env))
    ratio = median(ours) / median(base)
    report.add("5 cold start", "vendor-console to first paint (median)",
               f"{median(ours) * 1e3:.0f} ms = {ratio:.2f}x bare",
               f"bare PySide6 window {median(base) * 1e3:.0f} ms", "<= 1.5x bare",
               verdict(ratio <= 1.5))
