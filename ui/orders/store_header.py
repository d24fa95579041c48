"""Store controls in the window header: the store's state (open, paused, busy) and a dialog to
pause and resume (with reason and until), switch busy mode (extra prep minutes) and edit the
opening hours and special days. Changes go through the outbox (sync sends them); the state is
read on a worker from the local mirror that sync keeps (so the last known state shows offline),
again whenever sync or a queued change touches it."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.changes import ChangeFeed
from ui.workers import run_in_background
from vendor_console.services.store_controls import (
    MAX_BUSY_MINUTES,
    PAUSE_REASONS,
    Queued,
    StoreControls,
)
from vendor_console.services.store_mirror import StoreState

REFRESH_MS = 30_000  # also re-read on every change; the timer keeps "until" times current
WATCHED = ("store", "outbox")
SHORTCUT = "Ctrl+Shift+S"


class StoreDialog(QDialog):
    def __init__(self, header: StoreHeader) -> None:
        super().__init__(header.window())
        self.setObjectName("storeDialog")
        self.setWindowTitle("Store controls")
        self.header = header
        self.reason = QComboBox(self)
        for code in PAUSE_REASONS:
            self.reason.addItem(code.replace("_", " ").capitalize(), code)
        self.has_until = QCheckBox("&Until", self)
        self.until = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600), self)
        self.until.setCalendarPopup(True)
        self.busy_minutes = QSpinBox(self)
        self.busy_minutes.setRange(1, MAX_BUSY_MINUTES)
        self.busy_minutes.setValue(15)
        self.busy_minutes.setSuffix(" min extra")
        self.hours = QPlainTextEdit(self)
        self.hours.setObjectName("storeHours")
        self.hours.setPlaceholderText("mon 09:00-17:30\ntue 09:00-17:30")
        self.special = QPlainTextEdit(self)
        self.special.setObjectName("storeSpecialDays")
        self.special.setPlaceholderText("2026-12-24 closed\n2026-12-31 10:00-14:00")
        self.outcome = QLabel(self)
        self.outcome.setObjectName("storeResult")
        self.outcome.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        form = QFormLayout()
        form.addRow("Reason", self.reason)
        until_row = QHBoxLayout()
        until_row.addWidget(self.has_until)
        until_row.addWidget(self.until, 1)
        form.addRow(until_row)
        form.addRow("Busy mode", self.busy_minutes)
        form.addRow("Opening hours", self.hours)
        form.addRow("Special days", self.special)
        row = QHBoxLayout()
        for key, label in (("pause", "&Pause"), ("busy", "&Busy"), ("resume", "&Resume"),
                           ("hours", "Save &hours"), ("special", "Save &special days")):
            button = QPushButton(label, self)
            button.setObjectName(f"store_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.run(k))
            self.buttons[key] = button
            row.addWidget(button)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addLayout(row)
        column.addWidget(self.outcome)
        if header.state is not None:
            self.hours.setPlainText(header.state.hours_text())
            self.special.setPlainText(header.state.special_days_text())

    def run(self, key: str) -> None:
        controls = self.header.controls
        picked = self.until.dateTime().toPython()
        until = (picked.astimezone(UTC) if self.has_until.isChecked()
                 and isinstance(picked, datetime) else None)
        reason = str(self.reason.currentData())
        minutes = self.busy_minutes.value()
        hours, special = self.hours.toPlainText(), self.special.toPlainText()
        calls = {
            "pause": lambda: controls.pause(reason, until),
            "busy": lambda: controls.busy(minutes, until),
            "resume": controls.resume,
            "hours": lambda: controls.set_hours(hours),
            "special": lambda: controls.set_special_days(special),
        }
        run_in_background(calls[key], on_success=self._queued,
                          on_failure=lambda _e, m: self.outcome.setText(m), owner=self)

    def _queued(self, queued: Queued) -> None:
        self.outcome.setText(f"{queued.what} — sending to the marketplace.")
        self.header.show_pending(queued.what)


class StoreHeader(QWidget):
    def __init__(self, controls: StoreControls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storeHeader")
        self.controls = controls
        self.state: StoreState | None = None
        self.pending_what: str | None = None  # the last change queued here, until sent
        self._reads = 0  # reads started
        self._pending_mark = 0  # reads started before the change was queued
        self.label = QLabel("Store: –", self)
        self.label.setObjectName("storeState")
        self.button = QPushButton(f"Store…  ({SHORTCUT})", self)
        self.button.setObjectName("storeControls")
        self.button.setShortcut(SHORTCUT)
        self.button.clicked.connect(self.open_dialog)
        self.dialog: StoreDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 12, 0)
        row.addWidget(self.label)
        row.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.feed = ChangeFeed(controls.subscribe, WATCHED, parent=self)
        self.feed.changed.connect(lambda _changes: self.refresh())
        self._loading = False
        self._again = False
        QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._reads += 1
        read = self._reads
        run_in_background(self.controls.read_store,
                          on_success=lambda state: self.show_state(state, read),
                          on_failure=lambda _e, m: self.label.setToolTip(m),
                          on_done=self._loaded, owner=self)

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

    def show_state(self, state: StoreState | None, read: int | None = None) -> None:
        if read is not None and read <= self._pending_mark:
            if state is not None:
                self.state = state
            return  # read before the last change was queued: it cannot show it yet
        if state is None:
            self.label.setText("Store: – (not synced yet)")
            self.label.setToolTip("Sync has not brought the store's state yet.")
            return
        self.state = state
        if state.sending and self.pending_what:
            self.label.setText(f"Store: {self.pending_what} (sending…)")
        else:
            self.pending_what = None
            self.label.setText(f"Store: {state.summary()}")
        heard = ("" if state.as_of is None
                 else state.as_of.astimezone().strftime("%d %b %H:%M"))
        self.label.setToolTip(f"Last change mirrored from the marketplace: {heard}"
                             if heard else "")

    def show_pending(self, what: str) -> None:
        self.pending_what = what
        self._pending_mark = self._reads
        self.label.setText(f"Store: {what} (sending…)")
        self.refresh()

    def open_dialog(self) -> None:
        self.dialog = StoreDialog(self)
        self.dialog.open()


def install_store_header(window: QMainWindow, controls: StoreControls) -> StoreHeader:
    found = window.findChild(StoreHeader)
    if isinstance(found, StoreHeader):
        return found
    header = StoreHeader(controls, window)
    frame = window.findChild(QFrame, "header")
    layout = None if frame is None else frame.layout()
    if isinstance(layout, QHBoxLayout):
        layout.insertWidget(1, header)
    return header
