"""Sign-in and lock screen: pick your name, type your PIN (keyboard or touch)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sell.pin_pad import TOUCH, PinPad
from ui.workers import run_in_background
from vendor_console.permissions import Actor
from vendor_console.services.counter import CounterServices
from vendor_console.services.staff import StaffRecord


class SignInScreen(QWidget):
    signed_in = Signal(object)  # Actor

    def __init__(self, services: CounterServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self._services = services
        self.heading = QLabel("Who is selling?", self)
        self.heading.setObjectName("pageHeading")
        self.names = QButtonGroup(self)
        self.names.setExclusive(True)
        self._names_box = QVBoxLayout()
        self._names_box.setSpacing(8)
        self.pin_pad = PinPad("Sign in", self)
        self.pin_pad.submitted.connect(self._submit)
        self.problem = QLabel("", self)
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        self.staff: list[StaffRecord] = []

        names_column = QVBoxLayout()
        names_column.addWidget(self.heading)
        names_column.addLayout(self._names_box)
        names_column.addStretch(1)
        pin_column = QVBoxLayout()
        pin_column.addWidget(self.pin_pad)
        pin_column.addWidget(self.problem)
        pin_column.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 24, 32, 24)
        row.setSpacing(32)
        row.addLayout(names_column, 1)
        row.addLayout(pin_column, 1)

    def load_staff(self) -> None:
        run_in_background(self._services.staff.list_staff, on_success=self._show_staff,
                          on_failure=self._failed, owner=self)

    def _show_staff(self, staff: list[StaffRecord]) -> None:
        for button in self.names.buttons():
            self.names.removeButton(button)
            button.deleteLater()
        self.staff = staff
        for n, member in enumerate(staff):
            shortcut = f"Alt+{n + 1}" if n < 9 else ""
            label = f"{member.name}  ·  {member.role}"
            button = QPushButton(f"{label}  ({shortcut})" if shortcut else label, self)
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH)
            button.setProperty("staff_id", member.id)
            if shortcut:
                button.setShortcut(shortcut)
                button.setToolTip(shortcut)
            button.clicked.connect(self.pin_pad.reset)
            self.names.addButton(button, n)
            self._names_box.addWidget(button)
        if len(staff) == 1:
            self.choose(staff[0].id)

    def choose(self, staff_id: str) -> bool:
        for n, member in enumerate(self.staff):
            if member.id == staff_id:
                button = self.names.button(n)
                button.setChecked(True)
                self.pin_pad.reset()
                return True
        return False

    def chosen_id(self) -> str | None:
        n = self.names.checkedId()
        return self.staff[n].id if 0 <= n < len(self.staff) else None

    def show_locked(self, actor: Actor | None, reason: str) -> None:
        self.heading.setText(reason)
        self.problem.setText("")
        if actor is not None:
            self.choose(actor.staff_id)
        self.pin_pad.reset()

    def _submit(self, pin: str) -> None:
        staff_id = self.chosen_id()
        if staff_id is None:
            self.problem.setText("Choose your name first.")
            return
        self.pin_pad.set_busy(True)
        run_in_background(lambda: self._services.staff.sign_in(staff_id, pin),
                          on_success=self._done, on_failure=self._failed, owner=self)

    def _done(self, actor: Actor) -> None:
        self.problem.setText("")
        self.pin_pad.reset()
        self.heading.setText("Who is selling?")
        self.signed_in.emit(actor)

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.problem.setText(message)
        self.pin_pad.reset()
        self.pin_pad.setFocus(Qt.FocusReason.OtherFocusReason)
