"""Settings › Devices › Receipt printers: add, edit and remove printers (network, serial,
USB, Windows spooler), with code page, paper width, drawer pin and sensor polarity; test print,
code-page test page, drawer test and live status. Every button has an Alt+letter mnemonic and
every field is in the tab order. Database work runs on a worker, device work on the device
thread: nothing here blocks the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.devices.bridge import bridge, current_runtime
from ui.devices.device_access import DeviceAccess
from ui.devices.futures import deliver
from ui.devices.printer_address import BAUDS, HINTS, KINDS, from_url, to_url
from ui.workers import run_in_background
from vendor_console.devices.device_admin import delete_printer, save_printer
from vendor_console.devices.printers import PrinterRecord, list_printers
from vendor_console.devices.profile import CODE_PAGES, PrinterProfile
from vendor_console.devices.receipt_builder import build_code_page_test, build_test_page
from vendor_console.devices.status import PrinterStatus
from vendor_console.services.counter import CoreLike


def _combo(parent: QWidget, name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    for label, data in items:
        box.addItem(label, data)
    return box


class PrinterSettings(QGroupBox):
    def __init__(self, core: CoreLike, access: DeviceAccess,
                 parent: QWidget | None = None) -> None:
        super().__init__("Receipt printers", parent)
        self.setObjectName("printerSettings")
        self._db = core.db
        self._settings = core.settings
        self.printers: list[PrinterRecord] = []
        self.editing: PrinterRecord | None = None
        self.list = QListWidget(self)
        self.list.setObjectName("printerList")
        self.list.setAccessibleName("Printers")
        self.list.setMaximumHeight(110)
        self.list.currentRowChanged.connect(self._picked)
        self.name = QLineEdit(self)
        self.name.setObjectName("printerName")
        self.kind = _combo(self, "printerKind", [(label, k) for k, label in KINDS.items()])
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.address = QLineEdit(self)
        self.address.setObjectName("printerAddress")
        self.baud = _combo(self, "printerBaud", [(str(b), b) for b in BAUDS])
        self.paper = _combo(self, "printerWidth", [("80 mm", 80), ("58 mm", 58)])
        self.code_page = _combo(self, "printerCodePage", [(n, n) for n in CODE_PAGES])
        self.code_page.setCurrentText("CP858")
        self.pin = _combo(self, "drawerPin", [("Pin 2", 2), ("Pin 5", 5)])
        self.pulse = _combo(self, "drawerPulse", [("Real-time (DLE DC4)", "dle_dc4"),
                                                  ("Buffered (ESC p, some clones)", "esc_p")])
        self.open_high = QCheckBox("Drawer sensor reads high when open", self)
        self.open_high.setObjectName("drawerOpenHigh")
        self.open_high.setChecked(True)
        self.default = QCheckBox("Default printer for receipts", self)
        self.default.setObjectName("printerDefault")
        form = QFormLayout()
        for label, field in (("&Name", self.name), ("Connec&tion", self.kind),
                             ("&Address", self.address), ("Spee&d (baud)", self.baud),
                             ("Paper widt&h", self.paper), ("Code pa&ge", self.code_page),
                             ("Drawer p&in", self.pin), ("Drawer pu&lse", self.pulse)):
            form.addRow(label, field)
        form.addRow("", self.open_high)
        form.addRow("", self.default)
        self.buttons: dict[str, QPushButton] = {}
        grid = self._build_buttons()
        self.status = self._label("printerStatusLabel")
        self.message = self._label("printerMessage")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(form, 2)
        layout.addLayout(row)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        bridge().printer_status.connect(self._live_status)
        if bridge().last_status is not None:
            self._live_status(bridge().last_status)
        self._kind_changed()
        self.access = self._follow(access)
        self.refresh()

    def _follow(self, access: DeviceAccess) -> DeviceAccess:
        access.changed.connect(self.set_editable)
        self.set_editable(bool(access.editable))
        return access

    def set_editable(self, editable: bool) -> None:
        """Read-only: the set-up can be read, printed from and checked, not changed (nor the
        drawer kicked: that is a no-sale)."""
        for line in (self.name, self.address):
            line.setReadOnly(not editable)
        for field in (self.kind, self.baud, self.paper, self.code_page, self.pin, self.pulse,
                      self.open_high, self.default):
            field.setEnabled(editable)
        if editable:
            self._kind_changed()
        for key in ("new", "save", "remove", "drawer"):
            self.buttons[key].setEnabled(editable)

    def _label(self, name: str) -> QLabel:
        label = QLabel("", self)
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    def _build_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        for n, (key, text, action) in enumerate((
                ("new", "N&ew printer", self.new),
                ("save", "&Save printer", self.save),
                ("remove", "&Remove printer", self.remove),
                ("test", "Test &print", lambda: self.print_page("test", build_test_page)),
                ("code_pages", "&Code-page test", lambda: self.print_page(
                    "code_page_test", build_code_page_test)),
                ("drawer", "Open drawer (&kick test)", self.drawer_test),
                ("status", "Check stat&us", self.check_status))):
            button = QPushButton(text, self)
            button.setObjectName(f"printer_{key}")
            button.clicked.connect(lambda _c=False, a=action: a())
            grid.addWidget(button, n // 4, n % 4)
            self.buttons[key] = button
        return grid

    # -- the list --------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        db = self._db
        run_in_background(lambda: list_printers(db), owner=self,
                          on_success=lambda found: self._show(found, select),
                          on_failure=self._failed)

    def _show(self, found: list[PrinterRecord], select: str | None) -> None:
        self.printers = found
        self.list.blockSignals(True)
        self.list.clear()
        for printer in found:
            mark = " (default)" if printer.is_default else ""
            QListWidgetItem(f"{printer.name}{mark} · {printer.profile.url}", self.list)
        self.list.blockSignals(False)
        names = [p.name for p in found]
        if select in names:
            self.list.setCurrentRow(names.index(select))
        elif not found:
            self.new()
        else:
            self.list.setCurrentRow(0)

    def _picked(self, row: int) -> None:
        if not 0 <= row < len(self.printers):
            return
        printer = self.printers[row]
        self.editing = printer
        profile = printer.profile
        kind, address, baud = from_url(profile.url)
        self.name.setText(printer.name)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.address.setText(address)
        self.baud.setCurrentIndex(max(0, self.baud.findData(baud)))
        self.paper.setCurrentIndex(self.paper.findData(profile.width_mm))
        self.code_page.setCurrentText(profile.code_page)
        self.pin.setCurrentIndex(self.pin.findData(profile.drawer.pin))
        self.pulse.setCurrentIndex(self.pulse.findData(profile.drawer.method))
        self.open_high.setChecked(profile.drawer.open_when_high)
        self.default.setChecked(printer.is_default)

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        self.address.setPlaceholderText(HINTS[kind])
        self.baud.setEnabled(kind == "serial")

    # -- edits -----------------------------------------------------------------------------

    def new(self) -> None:
        self.editing = None
        self.list.clearSelection()
        self.name.setText("")
        self.address.setText("")
        self.default.setChecked(not self.printers)
        self.name.setFocus()

    def profile(self) -> PrinterProfile:
        base = self.editing.profile if self.editing is not None else PrinterProfile()
        url = to_url(str(self.kind.currentData()), self.address.text(),
                     int(self.baud.currentData()))
        drawer = replace(base.drawer, pin=int(self.pin.currentData()),
                         method=str(self.pulse.currentData()),
                         open_when_high=self.open_high.isChecked())
        return replace(base, name=self.name.text(), url=url,
                       width_mm=int(self.paper.currentData()),
                       code_page=self.code_page.currentText(), drawer=drawer)

    def save(self) -> None:
        actor, approver = self.access.actor, self.access.approver
        if actor is None or not self.access.editable:
            self.access.refresh()
            self._tell(self.access.reason.text())
            return
        if not self.address.text().strip():
            self._tell("Type the printer's address first.")
            return
        settings, profile, editing = self._settings, self.profile(), self.editing
        default = self.default.isChecked()
        printer_id = editing.id if editing is not None else None
        run_in_background(lambda: save_printer(settings, actor, profile, printer_id=printer_id,
                                               default=default, approver=approver),
                          on_success=self._saved, on_failure=self._failed, owner=self)

    def _saved(self, record: PrinterRecord) -> None:
        self._tell(f"Saved {record.name}.")
        self._reload_devices()
        self.refresh(select=record.name)

    def remove(self) -> None:
        editing = self.editing
        actor, approver = self.access.actor, self.access.approver
        if actor is None or not self.access.editable:
            self.access.refresh()
            self._tell(self.access.reason.text())
            return
        if editing is None:
            self._tell("Choose a printer to remove.")
            return
        settings = self._settings
        run_in_background(lambda: delete_printer(settings, actor, editing.id, approver),
                          owner=self, on_success=self._removed, on_failure=self._failed)

    def _removed(self, record: PrinterRecord) -> None:
        self._tell(f"Removed {record.name}.")
        self.editing = None
        self._reload_devices()
        self.refresh()

    def _reload_devices(self) -> None:
        runtime = current_runtime()
        if runtime is not None and runtime.running:
            deliver(runtime.reload_printers(), on_failure=self._failed, owner=self)

    # -- device actions (device thread) ----------------------------------------------------

    def _with_printer(self, act: Callable[[str], None]) -> None:
        runtime = current_runtime()
        if self.editing is None:
            self._tell("Save the printer first, then try it.")
        elif runtime is None or not runtime.running:
            self._tell("The printers are still starting; try again in a moment.")
        else:
            act(self.editing.name)

    def print_page(self, kind: str, build: Callable[[PrinterProfile], bytes]) -> None:
        def go(name: str) -> None:
            runtime = current_runtime()
            assert runtime is not None
            self._tell("Printing…")
            deliver(runtime.print_document(kind, build, name), owner=self,
                    on_success=lambda _job: self._tell(
                        "Sent to the printer: check the page."),
                    on_failure=self._failed)

        self._with_printer(go)

    def drawer_test(self) -> None:
        def go(name: str) -> None:
            runtime = current_runtime()
            assert runtime is not None
            self._tell("Opening the drawer…")
            deliver(runtime.drawer_test(name), owner=self,
                    on_success=lambda result: self._tell(result.message),
                    on_failure=self._failed)

        self._with_printer(go)

    def check_status(self) -> None:
        def go(name: str) -> None:
            runtime = current_runtime()
            assert runtime is not None
            deliver(runtime.printer_status(name), owner=self,
                    on_success=self._show_status, on_failure=self._failed)

        self._with_printer(go)

    def _show_status(self, status: PrinterStatus) -> None:
        drawer = "unknown"
        if status.reachable and self.editing is not None:
            opened = status.drawer_open(self.editing.profile.drawer.open_when_high)
            drawer = "open" if opened else "closed"
        self.status.setText(f"{status.summary()} · drawer {drawer}")

    def _live_status(self, event: object) -> None:
        self.status.setText(str(getattr(event, "text", "")))

    def _tell(self, text: str) -> None:
        self.message.setText(text)

    def _failed(self, _exc: BaseException, message: str) -> None:
        self._tell(message)

