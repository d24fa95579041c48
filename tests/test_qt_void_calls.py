"""Guards the PySide6 pin: 6.12.0 on CPython 3.11 drops a reference to ``None`` on every call of
a Qt method returning void, until the interpreter aborts in ``none_dealloc`` — the till would
simply vanish after a few minutes of use. The loop runs in a child process so that an abort is
reported as a test failure instead of killing the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 10_000
ALLOWED_DROP = 1_000

_CHILD = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel("Total")
    label.show()
    before = sys.getrefcount(None)
    for i in range({CALLS}):
        label.update()
        label.setObjectName("total" if i % 2 else "subtotal")
        QCoreApplication.processEvents()
    after = sys.getrefcount(None)
    print(before, after, label.objectName(), flush=True)
    """
)


def test_ten_thousand_void_qt_calls_do_not_leak_none_or_crash() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env=env,
    )
    assert result.returncode == 0, (
        f"the Qt process died (exit code {result.returncode}) after void calls; "
        f"is PySide6 6.12.0 installed on Python 3.11?\n{result.stderr[-2000:]}"
    )
    before, after, name = result.stdout.split()
    assert name == "total"  # the last setObjectName call took effect
    drop = int(before) - int(after)
    assert drop <= ALLOWED_DROP, f"None lost {drop} references over {CALLS} void Qt calls"
