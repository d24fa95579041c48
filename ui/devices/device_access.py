"""Who may change Settings › Devices right now: the signed-in person if they may change
settings, or with a manager's PIN approval (for that person, until someone else signs in or
the Settings page is left).
Anyone else sees the section read-only with the reason and an "Unlock with manager PIN" button.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from vendor_console.devices.device_admin import may_change_devices
from vendor_console.permissions import Actor, Permission
from vendor_console.services.counter import CoreLike, CounterServices


class DeviceAccess(QWidget):
    """The read-only notice above the device settings, and who the changes are made as."""

    changed = Signal(bool)  # editable now?

    def __init__(self, core: CoreLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceAccess")
        self._core = core
        self.approver: Actor | None = None
        self._approved_for: str | None = None  # the signed-in person the approval was for
        self.editable: bool | None = None
        self.dialog: QDialog | None = None
        self.reason = QLabel("", self)
        self.reason.setObjectName("deviceAccessReason")
        self.reason.setWordWrap(True)
        self.unlock = QPushButton("Unlock with &manager PIN…", self)
        self.unlock.setObjectName("deviceUnlock")
        self.unlock.clicked.connect(self.ask_approval)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reason, 1)
        row.addWidget(self.unlock)
        self.refresh()

    def forget_approval(self) -> None:
        """Leaving the Settings page ends a PIN approval (it was for this visit)."""
        if self.approver is not None:
            self.approver = None
            self.refresh()

    @property
    def actor(self) -> Actor | None:
        return self._core.signed_in

    def refresh(self) -> None:
        """Re-check who is signed in (the window's status refresh calls this)."""
        actor = self.actor
        if actor is None or actor.staff_id != self._approved_for:
            self.approver = None  # an approval belongs to the person it was given to
        editable = may_change_devices(actor, self.approver)
        if actor is None:
            text = ("Read only: sign in on the Sell page to change devices (it needs the owner "
                    "or someone allowed to change settings).")
        elif actor.can(Permission.MANAGE_SETTINGS):
            text = ""
        elif self.approver is not None:
            text = (f"Unlocked by {self.approver.name} for {actor.name}: changes are recorded "
                    "under both names.")
        else:
            text = (f"Read only: {actor.name} ({actor.role}) may not change settings, so "
                    "printers, scanners and the customer display cannot be changed. Someone "
                    "allowed to change settings can unlock this with their PIN.")
        self.reason.setText(text)
        self.unlock.setVisible(actor is not None and not editable)
        self.setVisible(bool(text))
        if editable != self.editable:
            self.editable = editable
            self.changed.emit(editable)

    def ask_approval(self) -> None:
        from ui.sell.approval import ask_approval

        actor = self.actor
        if actor is None:
            self.refresh()
            return
        services = CounterServices.over(self._core.db, self._core.settings)

        def approved(approver: Actor) -> None:
            if self.actor is not None and self.actor.staff_id == actor.staff_id:
                self.approver, self._approved_for = approver, actor.staff_id
            self.refresh()

        self.dialog = ask_approval(self, services, Permission.MANAGE_SETTINGS,
                                   "Changing this till's devices needs a manager.", approved)
