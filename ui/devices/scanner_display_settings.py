"""Settings › Devices › Scanners and customer display: the keyboard-wedge recogniser's prefix,
suffix and timing (the Sell screen uses them at once), a serial scanner's port, the pole
display (ESC/POS display mode or CD5220) and the second-screen window."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.devices.bridge import bridge, current_runtime
from ui.devices.device_access import DeviceAccess
from ui.devices.futures import deliver
from ui.devices.printer_address import BAUDS
from ui.devices.wedge_config import wedge_config
from ui.workers import run_in_background
from vendor_console.devices.device_admin import save_device_settings
from vendor_console.devices.device_settings import DeviceSettings, load
from vendor_console.services.counter import CoreLike

KEYBOARD_NOTE = (
    "Digits arrive garbled (e.g. “&é\"'(” instead of “12345”) or letters swapped? The "
    "scanner types as if on a different keyboard country than this computer's. Scan the "
    "keyboard-country barcode for your layout in the scanner's manual, or switch the scanner "
    "to serial / USB-COM mode and enter its port below.")


class ScannerDisplaySettings(QGroupBox):
    def __init__(self, core: CoreLike, access: DeviceAccess,
                 parent: QWidget | None = None) -> None:
        super().__init__("Scanners and customer display", parent)
        self.setObjectName("scannerDisplaySettings")
        self._settings = core.settings
        self.prefix = QLineEdit(self)
        self.prefix.setObjectName("wedgePrefix")
        self.suffix = QComboBox(self)
        self.suffix.setObjectName("wedgeSuffix")
        for label, value in (("Enter", "enter"), ("Tab", "tab"),
                             ("Enter or Tab", "enter_or_tab")):
            self.suffix.addItem(label, value)
        self.gap = QSpinBox(self)
        self.gap.setObjectName("wedgeGap")
        self.gap.setRange(5, 500)
        self.gap.setSuffix(" ms")
        self.min_length = QSpinBox(self)
        self.min_length.setObjectName("wedgeMinLength")
        self.min_length.setRange(1, 64)
        self.serial_port = QLineEdit(self)
        self.serial_port.setObjectName("serialScannerPort")
        self.serial_port.setPlaceholderText("/dev/ttyACM0 or COM4 (empty: none)")
        self.serial_baud = QComboBox(self)
        self.serial_baud.setObjectName("serialScannerBaud")
        for baud in BAUDS:
            self.serial_baud.addItem(str(baud), baud)
        self.display_set = QComboBox(self)
        self.display_set.setObjectName("displayCommandSet")
        for label, value in (("None", "none"), ("ESC/POS display (2 x 20)", "escpos"),
                             ("CD5220 (2 x 20)", "cd5220")):
            self.display_set.addItem(label, value)
        self.display_url = QLineEdit(self)
        self.display_url.setObjectName("displayUrl")
        self.display_url.setPlaceholderText("serial:///dev/ttyUSB1?baud=9600")
        self.second_screen = QCheckBox("Show the last item and total on a second screen", self)
        self.second_screen.setObjectName("secondScreen")
        note = QLabel(KEYBOARD_NOTE, self)
        note.setObjectName("scannerKeyboardNote")
        note.setWordWrap(True)
        self.save_button = QPushButton("Sa&ve scanner and display", self)
        self.save_button.setObjectName("saveScannerDisplay")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel("", self)
        self.message.setObjectName("scannerMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        for label, field in (("Scanner pre&fix", self.prefix), ("Scanner suffi&x", self.suffix),
                             ("Longest pause in a scan", self.gap),
                             ("Shortest code", self.min_length),
                             ("Serial scanner p&ort", self.serial_port),
                             ("Serial scanner speed", self.serial_baud),
                             ("Customer displa&y", self.display_set),
                             ("Display port", self.display_url)):
            form.addRow(label, field)
        form.addRow("", self.second_screen)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        self.access = self._follow(access)
        settings = self._settings
        run_in_background(lambda: load(settings), on_success=self._show, owner=self)

    def _follow(self, access: DeviceAccess) -> DeviceAccess:
        access.changed.connect(self.set_editable)
        self.set_editable(bool(access.editable))
        return access

    def set_editable(self, editable: bool) -> None:
        for line in (self.prefix, self.serial_port, self.display_url):
            line.setReadOnly(not editable)
        for field in (self.suffix, self.gap, self.min_length, self.serial_baud,
                      self.display_set, self.second_screen, self.save_button):
            field.setEnabled(editable)

    def _show(self, values: DeviceSettings) -> None:
        self.prefix.setText(values.wedge_prefix)
        self.suffix.setCurrentIndex(self.suffix.findData(values.wedge_suffix))
        self.gap.setValue(values.wedge_max_gap_ms)
        self.min_length.setValue(values.wedge_min_length)
        self.serial_port.setText(values.scanner_port)
        self.serial_baud.setCurrentIndex(max(0, self.serial_baud.findData(values.scanner_baud)))
        self.display_set.setCurrentIndex(self.display_set.findData(values.display_command_set))
        self.display_url.setText(values.display_url)
        self.second_screen.setChecked(values.second_screen)

    def values(self) -> DeviceSettings:
        return DeviceSettings(
            wedge_prefix=self.prefix.text(), wedge_suffix=str(self.suffix.currentData()),
            wedge_max_gap_ms=self.gap.value(), wedge_min_length=self.min_length.value(),
            scanner_port=self.serial_port.text().strip(),
            scanner_baud=int(self.serial_baud.currentData()),
            display_command_set=str(self.display_set.currentData()),
            display_url=self.display_url.text().strip(),
            second_screen=self.second_screen.isChecked())

    def save(self) -> None:
        actor, approver = self.access.actor, self.access.approver
        if actor is None or not self.access.editable:
            self.access.refresh()
            self.message.setText(self.access.reason.text())
            return
        settings, values = self._settings, self.values()
        run_in_background(lambda: save_device_settings(settings, actor, values, approver),
                          on_success=self._saved,
                          on_failure=lambda _e, m: self.message.setText(m), owner=self)

    def _saved(self, values: DeviceSettings) -> None:
        self.message.setText("Saved.")
        bridge().wedge_changed.emit(wedge_config(values))
        bridge().second_screen_changed.emit(values.second_screen)
        runtime = current_runtime()
        if runtime is not None and runtime.running:
            deliver(runtime.configure(values), owner=self,
                    on_failure=lambda _e, m: self.message.setText(f"Saved, but: {m}"))
