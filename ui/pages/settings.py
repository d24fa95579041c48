"""Settings: appearance and what this device is connected to, in a scroll area that follows
the keyboard focus (the page is taller than a small screen).

The theme choice applies at once and is announced (``theme_chosen``) so the caller can save it;
printer, drawer, staff and marketplace settings arrive with their own work.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.devices.settings_section import DevicesSection
from ui.pages.settings_scroll import SectionScroll
from ui.pages.shop_timezone import TimeZoneBox
from ui.pages.tender_settings import TenderSettings
from ui.theme import THEMES, ThemeName, apply_theme, current_theme
from vendor_console.status import ShellStatus

_THEME_LABELS: dict[ThemeName, str] = {"light": "Light", "dark": "Dark"}


class SettingsPage(QWidget):
    theme_chosen = Signal(str)  # the user picked a theme; the window passes it on to be saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("Settings", self)
        heading.setObjectName("pageHeading")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 24, 0, 0)
        layout.setSpacing(8)
        heading_row = QHBoxLayout()
        heading_row.setContentsMargins(32, 0, 32, 0)
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        keys = QLabel("Ctrl+PgDn / Ctrl+PgUp: next / previous section", self)
        keys.setObjectName("pageLead")
        heading_row.addWidget(keys)
        layout.addLayout(heading_row)
        self.scroller = SectionScroll(self)  # a small screen scrolls; focus scrolls into view
        layout.addWidget(self.scroller, 1)
        content = self.scroller.content
        self.scroller.add(self._build_appearance(content))
        self.scroller.add(self._build_shop(content))
        self.timezone = TimeZoneBox(content)  # business days for analytics
        self.scroller.add(self.timezone)
        self.tenders = TenderSettings(content)
        self.scroller.add(self.tenders)
        self.devices = DevicesSection(content)  # printers, drawer, scanners, customer display
        self.scroller.add(self.devices)
        from ui.sync_pairing import PairingBox

        self.pairing = PairingBox(content)
        self.scroller.add(self.pairing)
        later = QLabel(
            "Staff and marketplace settings will appear here with the sync work.",
            content,
        )
        later.setObjectName("placeholderNote")
        later.setWordWrap(True)
        self.scroller.add(later)
        self.scroller.sections.addStretch(1)
        self.scroller.install_section_keys(self)  # Ctrl+PgDn / Ctrl+PgUp: next / previous

    def _build_appearance(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Appearance", parent)
        row = QHBoxLayout(box)
        row.setSpacing(24)
        self._theme_group = QButtonGroup(box)
        self.theme_buttons: dict[ThemeName, QRadioButton] = {}
        for name in THEMES:
            button = QRadioButton(_THEME_LABELS[name], box)
            button.setObjectName(f"theme_{name}")
            button.toggled.connect(
                lambda checked, chosen=name: self._choose_theme(chosen) if checked else None
            )
            self._theme_group.addButton(button)
            self.theme_buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        app = QApplication.instance()
        showing = current_theme(app) if isinstance(app, QApplication) else None
        if showing is not None:
            self.theme_buttons[showing].setChecked(True)
        return box

    def _build_shop(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("This shop", parent)
        form = QFormLayout(box)
        self._shop_name = QLabel(box)
        self._currency = QLabel(box)
        self._database = QLabel(box)
        for label in (self._shop_name, self._currency, self._database):
            label.setWordWrap(True)
        self._database.setObjectName("settingsDatabasePath")
        form.addRow("Shop name", self._shop_name)
        form.addRow("Currency", self._currency)
        form.addRow("Database file", self._database)
        return box

    def _choose_theme(self, name: ThemeName) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and current_theme(app) != name:
            apply_theme(app, name)
            self.theme_chosen.emit(name)

    def show_status(self, status: ShellStatus) -> None:
        self._shop_name.setText(status.shop_name)
        self._currency.setText(status.currency)
        self._database.setText(status.database.path)
        if not self.tenders.loaded:  # the page may be built before the shop database opens
            self.tenders.load()
        if not self.timezone.loaded:
            self.timezone.load()
        self.devices.core_ready()


def create_page() -> QWidget:
    return SettingsPage()
