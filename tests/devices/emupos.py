"""The emupos ESC/POS emulator (third party, its own Python 3.13 venv) run on 127.0.0.1.

``scripts/ensure-emupos.sh`` installs it; ``EMUPOS_BIN`` (or that script's default path) points
at its ``emupos`` command. When ``EMUPOS_BIN`` is set or ``CI=true``, a missing emulator fails
the tests: they must never be skipped silently there.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

DEFAULT_BIN = Path.home() / ".cache" / "vendor-console" / "emupos-0.4.0" / "bin" / "emupos"
BAD_EVENTS = ("printer.command.unknown", "printer.codepage.unsupported")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy


def emupos_bin() -> Path:
    path = Path(os.environ.get("EMUPOS_BIN") or DEFAULT_BIN)
    if not path.is_file():
        message = (f"emupos not found at {path}: run scripts/ensure-emupos.sh and set "
                   "EMUPOS_BIN to the path it prints")
        # Named explicitly (run-tests sets it) or under CI: a missing emulator is an error.
        if os.environ.get("EMUPOS_BIN") or os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Emupos:
    def __init__(self, binary: Path, root: Path) -> None:
        self.root = root
        self.api_port, self.printer_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}/api/v1"
        self._seen: list[dict[str, Any]] = []
        self._partial = b""  # an event line read in part
        self._pipe: int | None = None  # the event relay's stdout, once it runs
        config = root / "emupos.yaml"
        config.write_text(f"""schema: 1
api: {{ host: 127.0.0.1, port: {self.api_port} }}
devices:
  - id: front
    type: printer
    profile: epson-tm-t20iii
    connections:
      - {{ tcp: {{ host: 127.0.0.1, port: {self.printer_port} }} }}
      - {{ serial: {{ pty: true }} }}
    receipts_dir: {root}/receipts
    job_idle_timeout_ms: 500
  - id: lane2
    type: scanner
    mode: serial
    connections: [ {{ serial: {{ pty: true }} }} ]
""", encoding="utf-8")
        self._log = (root / "emupos.log").open("w")
        env = {**os.environ, "TMPDIR": str(root), "COLUMNS": "200"}
        self._proc = subprocess.Popen([str(binary), "run", "--config", str(config)], cwd=root,
                                      env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_healthy()
        python = binary.parent / "python"
        # Events are read from the relay's pipe when the test asks for them or calls the API,
        # on the test's thread: no reader thread lives on beside later tests.
        self._events = subprocess.Popen(
            [str(python), str(Path(__file__).with_name("emupos_events.py")),
             f"ws://127.0.0.1:{self.api_port}/api/v1/events"],
            stdout=subprocess.PIPE, stderr=self._log)
        assert self._events.stdout is not None
        self._pipe = self._events.stdout.fileno()
        ready = self._lines(30)
        if ready[:1] != [b"ready"]:
            raise RuntimeError("emupos event relay failed: " + self.log())
        self._seen += [json.loads(line) for line in ready[1:]]

    @property
    def printer_url(self) -> str:
        return f"tcp://127.0.0.1:{self.printer_port}"

    @property
    def serial_path(self) -> str:
        return str(self.root / "emupos" / "front")

    @property
    def scanner_path(self) -> str:
        return str(self.root / "emupos" / "lane2")

    def log(self) -> str:
        self._log.flush()
        return (self.root / "emupos.log").read_text(encoding="utf-8", errors="replace")

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError("emupos exited: " + self.log())
            try:
                self.call("GET", "/health")
                return
            except OSError:
                time.sleep(0.1)  # a process starting up: nothing to await but the port
        raise RuntimeError("emupos did not start: " + self.log())

    def _lines(self, wait: float) -> list[bytes]:
        """The complete lines the relay has written, waiting up to ``wait`` s for the first."""
        assert self._pipe is not None
        lines: list[bytes] = []
        deadline = time.monotonic() + wait
        while True:
            left = 0.0 if lines else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._pipe], [], [], left)
            chunk = os.read(self._pipe, 65536) if ready else b""
            if not chunk:  # nothing more for now (or the relay exited)
                return lines
            *complete, self._partial = (self._partial + chunk).split(b"\n")
            lines += [line.strip() for line in complete if line.strip()]

    def _drain(self, wait: float = 0) -> None:
        if self._pipe is not None:
            self._seen += [json.loads(line) for line in self._lines(wait)]

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event emupos published that has reached us so far, in order."""
        self._drain()
        return self._seen

    def wait_event(self, kind: str, after: int, timeout: float = 20) -> dict[str, Any]:
        """The first ``kind`` event at or after index ``after`` (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[after:]:
                if event["type"] == kind:
                    return event
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind} event; got {self._seen[after:]}")
            self._drain(left)

    def sync(self) -> None:
        """Wait until every event emupos published so far has reached us: a fault toggle is
        published after everything it processed before the API call."""
        mark = len(self.events)
        self.fault("paper-near-end", active=True)
        self.fault("paper-near-end", active=False)
        self.wait_event("printer.status.changed", mark)

    def bad_events(self, after: int = 0) -> list[dict[str, Any]]:
        return [e for e in self.events[after:] if e["type"] in BAD_EVENTS]

    def call(self, method: str, path: str, body: object = None) -> bytes:
        self._drain()  # so the relay's pipe never fills up, however long a test runs
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.api + path, data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with _OPENER.open(request, timeout=10) as response:
            return bytes(response.read())

    def fault(self, name: str, active: bool) -> None:
        self.call("PUT" if active else "DELETE", f"/devices/front/faults/{name}")

    def drawer_state(self) -> str:
        return str(json.loads(self.call("GET", "/devices/front"))["state"]["drawer"])

    def receipt_text(self, receipt_id: str) -> str:
        return self.call("GET", f"/devices/front/receipts/{receipt_id}/text").decode()

    def receipt_png(self, receipt_id: str) -> bytes:
        return self.call("GET", f"/devices/front/receipts/{receipt_id}/image")

    def stop(self) -> None:
        for proc in (self._events, self._proc):
            proc.terminate()
        for proc in (self._events, self._proc):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if self._events.stdout is not None:
            self._events.stdout.close()
        self._log.close()
