"""Manager approval of one gated action: a manager types their PIN, nobody switches user."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.sell.ask import give_keyboard_back
from ui.sell.pin_pad import TOUCH, PinPad, no_enter_buttons
from ui.workers import run_in_background
from vendor_console.permissions import LABELS, Actor, Permission
from vendor_console.services.counter import CounterServices
from vendor_console.services.staff import StaffRecord


class ApprovalDialog(QDialog):
    approved = Signal(object)  # the approving Actor

    def __init__(self, services: CounterServices, permission: Permission, why: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDialog")
        self.setWindowTitle("Manager approval")
        self._services = services
        self.permission = permission
        self.approver: Actor | None = None
        self.reason = QLabel(f"{why}\nA manager may {LABELS[permission]}: "
                             "choose your name and type your PIN.", self)
        self.reason.setWordWrap(True)
        self.who = QComboBox(self)
        self.who.setMinimumHeight(TOUCH)
        self.who.setAccessibleName("Approving manager")
        self.pin_pad = PinPad("Approve", self)
        self.pin_pad.submitted.connect(self._submit)
        self.problem = QLabel("", self)
        self.problem.setObjectName("problemText")
        self.problem.setWordWrap(True)
        cancel = QPushButton("Cancel  (Esc)", self)
        cancel.setMinimumHeight(TOUCH)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(self.who)
        layout.addWidget(self.pin_pad)
        layout.addWidget(self.problem)
        layout.addWidget(cancel)
        no_enter_buttons(self)
        run_in_background(services.staff.list_staff, on_success=self._fill, owner=self)

    def _fill(self, staff: list[StaffRecord]) -> None:
        for member in staff:
            if member.role != "cashier":
                self.who.addItem(f"{member.name} · {member.role}", member.id)
        self.pin_pad.reset()

    def choose(self, staff_id: str) -> None:
        self.who.setCurrentIndex(self.who.findData(staff_id))

    def _submit(self, pin: str) -> None:
        staff_id = self.who.currentData()
        if not staff_id:
            self.problem.setText("Choose who approves.")
            return
        self.pin_pad.set_busy(True)
        run_in_background(
            lambda: self._services.staff.approve(staff_id, pin, self.permission),
            on_success=self._done, on_failure=self._failed, owner=self)

    def _done(self, approver: Actor) -> None:
        self.approver = approver
        self.approved.emit(approver)
        self.accept()

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.problem.setText(message)
        self.pin_pad.reset()


def ask_approval(parent: QWidget, services: CounterServices, permission: Permission, why: str,
                 then: Callable[[Actor], None]) -> ApprovalDialog:
    """Open the approval dialog (non-blocking); ``then(approver)`` runs once approved."""
    dialog = ApprovalDialog(services, permission, why, parent)
    dialog.approved.connect(then)
    dialog.finished.connect(lambda _r: give_keyboard_back(parent))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
