"""The order actions with their inputs, all reachable by keyboard (shortcuts on the buttons).
A button is disabled, with the reason beside it, when its action cannot run on the order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from vendor_console.services.order_desk import MAX_PREP_MINUTES, REASON_CODES
from vendor_console.services.order_queue import OrderCard, action_block


@dataclass(frozen=True, slots=True)
class ActionSpec:
    key: str
    label: str
    shortcut: str


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("accept", "Accept", "Alt+A"),
    ActionSpec("reject", "Reject", "Alt+R"),
    ActionSpec("start-preparing", "Start preparing", "Alt+P"),
    ActionSpec("mark-ready", "Ready", "Alt+Y"),
    ActionSpec("dispatch", "Dispatch", "Alt+D"),
    ActionSpec("complete", "Complete", "Alt+C"),
    ActionSpec("cancel", "Cancel order", "Alt+X"),
    ActionSpec("adjust-ready-time", "New ready time", "Alt+T"),
)


class ActionPanel(QWidget):
    requested = Signal(str)  # action key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderActions")
        self.prep_minutes = QSpinBox(self)
        self.prep_minutes.setObjectName("prepMinutes")
        self.prep_minutes.setRange(1, MAX_PREP_MINUTES)
        self.prep_minutes.setValue(15)
        self.prep_minutes.setSuffix(" min")
        self.reason = QComboBox(self)
        self.reason.setObjectName("reasonCode")
        for code, label in REASON_CODES:
            self.reason.addItem(label, code)
        self.explanation = QLineEdit(self)
        self.explanation.setObjectName("reasonText")
        self.explanation.setPlaceholderText("Explanation for the customer (optional)")
        self.sold_out = QCheckBox("Mark the missing items sold out", self)
        self.sold_out.setObjectName("markSoldOut")
        self.pickup_code = QLineEdit(self)
        self.pickup_code.setObjectName("pickupCode")
        self.pickup_code.setPlaceholderText("Pickup code")
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.addWidget(QLabel("&Prep time", self), 0, 0)
        grid.addWidget(self.prep_minutes, 0, 1)
        grid.addWidget(QLabel("Reason", self), 1, 0)
        grid.addWidget(self.reason, 1, 1)
        grid.addWidget(self.explanation, 2, 0, 1, 2)
        grid.addWidget(self.sold_out, 3, 0, 1, 2)
        grid.addWidget(self.pickup_code, 4, 0, 1, 2)
        for n, spec in enumerate(ACTIONS):
            button = QPushButton(f"{spec.label}  ({spec.shortcut})", self)
            button.setObjectName(f"orderAction_{spec.key}")
            button.setShortcut(spec.shortcut)
            button.clicked.connect(lambda _c=False, key=spec.key: self.requested.emit(key))
            self.buttons[spec.key] = button
            grid.addWidget(button, 5 + n // 2, n % 2)
        self.why = QLabel(self)
        self.why.setObjectName("orderActionsWhy")
        self.why.setWordWrap(True)
        grid.addWidget(self.why, 9, 0, 1, 2)
        self.blocks: dict[str, str | None] = {}

    def update_for(self, card: OrderCard | None, *, online: bool, skew_ms: int,
                   busy: bool = False) -> None:
        block: Callable[[str], str | None]
        if card is None:
            def block(_key: str) -> str | None:
                return "Choose an order."
        else:
            def block(key: str) -> str | None:
                return action_block(card, key, online=online, skew_ms=skew_ms)
        self.blocks = {spec.key: block(spec.key) for spec in ACTIONS}
        for key, button in self.buttons.items():
            reason = self.blocks[key]
            button.setEnabled(reason is None and not busy)
            button.setToolTip(reason or "")
        deadline = [reason for k in ("accept", "reject")
                    if card is not None and card.status == "PENDING"
                    and (reason := self.blocks[k])]
        self.why.setText(deadline[0] if deadline else "")
