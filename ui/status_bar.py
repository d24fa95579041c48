"""The status bar: database, sync, printer and signed-in staff member, always visible."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ui.polish import set_style_property
from vendor_console.status import ShellStatus


class StatusSegment(QLabel):
    """One permanent segment. Its ``state`` property ("ok"/"problem") picks the QSS colours."""

    def __init__(self, object_name: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleDescription(what)
        self._what = what
        self.set_value("…", ok=True)

    def set_value(self, text: str, *, ok: bool, detail: str | None = None) -> None:
        self.setText(text)
        self.setAccessibleName(f"{self._what}: {text}")
        self.setToolTip(f"{self._what}\n{detail}" if detail else self._what)
        set_style_property(self, "state", "ok" if ok else "problem")


def database_text(status: ShellStatus) -> str:
    db = status.database
    return f"Database: {db.message}" if db.ok else f"Database problem: {db.message}"


def staff_text(status: ShellStatus) -> str:
    if not status.staff_name:
        return "Nobody signed in"
    role = f" ({status.staff_role})" if status.staff_role else ""
    return f"Signed in: {status.staff_name}{role}"


class ShellStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shellStatusBar")
        self.setSizeGripEnabled(False)
        self.database = StatusSegment("statusDatabase", "Local database", self)
        self.sync = StatusSegment("statusSync", "Marketplace sync", self)
        from ui.devices.status_segment import PrinterSegment  # live status; imports this module

        self.printer = PrinterSegment(self)
        self.staff = StatusSegment("statusStaff", "Signed-in staff member", self)
        for segment in self.segments():
            self.addPermanentWidget(segment)
        from ui.unsynced_status import UnsyncedSegment  # it builds on StatusSegment above

        self.unsynced = UnsyncedSegment(self)
        self.insertPermanentWidget(2, self.unsynced)  # next to the sync segment

    def segments(self) -> tuple[StatusSegment, ...]:
        return (self.database, self.sync, self.printer, self.staff)

    def show_status(self, status: ShellStatus) -> None:
        self.database.set_value(
            database_text(status), ok=status.database.ok, detail=status.database.path
        )
        self.sync.set_value(status.sync, ok=True)
        self.printer.show_shell(status.printer)
        self.staff.set_value(staff_text(status), ok=True)
        self.unsynced.refresh()
