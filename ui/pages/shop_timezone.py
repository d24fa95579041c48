"""Settings → Time zone: the shop's IANA time zone (a searchable list: type any part of a
name), which decides the business days the analytics count in. Changing it recomputes the
zone's offsets and rebuilds every rollup on a worker (the writer thread does the rebuild; the
window stays responsive) and says what happened. Needs someone allowed to change settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.sell.context import current_core
from ui.workers import run_in_background

if TYPE_CHECKING:
    from vendor_console.services.counter import CoreLike
    from vendor_console.services.shop_timezone import ZoneChange


def qt_system_zone() -> str:
    """The system's IANA zone as Qt knows it (Windows too), else the core's guess."""
    from vendor_console.timezones import is_zone, system_zone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return name if is_zone(name) else system_zone()


def _load(core: CoreLike) -> tuple[tuple[str, ...], str]:
    from vendor_console.services.shop_timezone import shop_timezone
    from vendor_console.timezones import zone_names

    return zone_names(), shop_timezone(core.db)


class TimeZoneBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Time zone", parent)
        self.setObjectName("shopTimeZoneBox")
        self.loaded = False
        self.busy = False
        self.current: str | None = None
        self.system = qt_system_zone()
        lead = QLabel("Analytics and reports count sales in the shop's business days, in "
                      "this time zone. Changing it rebuilds the analytics.", self)
        lead.setWordWrap(True)
        self.zone = QComboBox(self)
        self.zone.setObjectName("shopTimeZone")
        self.zone.setAccessibleName("Shop time zone")
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.setMaxVisibleItems(20)
        self.zone.addItem(self.system)
        completer = QCompleter(self.zone.model(), self.zone)
        completer.setObjectName("timeZoneSearch")
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.zone.setCompleter(completer)
        self.use_system = QPushButton(f"Use this computer's zone ({self.system})", self)
        self.use_system.setObjectName("timeZoneSystem")
        self.use_system.clicked.connect(lambda: self.zone.setCurrentText(self.system))
        self.apply = QPushButton("Change time &zone", self)
        self.apply.setObjectName("timeZoneApply")
        self.apply.clicked.connect(self.change)
        self.status = QLabel("", self)
        self.status.setObjectName("timeZoneStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.zone, 1)
        row.addWidget(self.use_system)
        row.addWidget(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.load()

    def _core(self) -> CoreLike | None:
        core = current_core()
        if core is None:
            self.status.setText("The time zone can be changed once the shop database is open.")
        return core

    def load(self) -> None:
        core = self._core()
        if core is None:
            return
        run_in_background(lambda: _load(core), on_success=self._loaded_zones,
                          on_failure=lambda _e, m: self.status.setText(m), owner=self)

    def _loaded_zones(self, loaded: tuple[tuple[str, ...], str]) -> None:
        names, current = loaded
        self.zone.clear()
        self.zone.addItems(list(names))
        self.show_zone(current)
        self.loaded = True

    def show_zone(self, zone: str) -> None:
        self.current = zone
        index = self.zone.findText(zone)
        if index >= 0:
            self.zone.setCurrentIndex(index)
        else:
            self.zone.setCurrentText(zone)

    def change(self) -> None:
        core = self._core()
        if core is None or self.busy:
            return
        zone = self.zone.currentText().strip()
        if zone == self.current:
            self.status.setText(f"The shop is already in {zone}.")
            return
        actor = core.signed_in
        if actor is None:
            self.status.setText("Sign in on the Sell page first: changing the time zone needs "
                                "the owner or someone allowed to change settings.")
            return
        from vendor_console.services.shop_timezone import change_timezone

        self.busy = True
        self.apply.setEnabled(False)
        self.status.setText(f"Changing the time zone to {zone}: rebuilding the analytics in "
                            "its business days…")
        db = core.db
        run_in_background(lambda: change_timezone(db, actor, zone), on_success=self._changed,
                          on_failure=lambda _e, m: self.status.setText(m),
                          on_done=self._idle, owner=self)

    def _changed(self, change: ZoneChange) -> None:
        self.show_zone(change.zone)
        self.status.setText(f"The shop's time zone is now {change.zone} (was {change.previous})."
                            " Analytics and reports were rebuilt in its business days.")

    def _idle(self) -> None:
        self.busy = False
        self.apply.setEnabled(True)
