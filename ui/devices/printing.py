"""Receipts from the counter: queue after a sale (the drawer opens for cash), reprint on
demand, and ask the cashier when a receipt's printing is uncertain (never reprinted on its
own). All device work happens on the device thread; results come back through signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.devices.bridge import bridge, current_runtime
from ui.devices.futures import deliver

Notify = Callable[[str], None]


def print_sale(sale_id: str, *, open_drawer: bool, notify: Notify | None = None,
               owner: QObject | None = None) -> bool:
    """Queue the receipt of a completed sale; False when no device runtime is running (the
    receipt is on screen only). The sale is already committed: nothing here can undo it."""
    runtime = current_runtime()
    if runtime is None or not runtime.running:
        return False
    deliver(runtime.print_sale(sale_id, open_drawer=open_drawer),
            on_success=lambda done: notify(done.message) if notify else None,
            on_failure=lambda _e, m: notify(f"The receipt was not queued: {m}")
            if notify else None, owner=owner)
    return True


def reprint_sale(sale_id: str, *, notify: Notify, owner: QObject | None = None) -> bool:
    """Print a receipt again because the cashier asked (a new job)."""
    runtime = current_runtime()
    if runtime is None or not runtime.running:
        return False
    deliver(runtime.reprint_sale(sale_id),
            on_success=lambda job: notify("Printing again." if job else
                                          "No receipt printer is set up."),
            on_failure=lambda _e, m: notify(m), owner=owner)
    return True


def print_text(kind: str, text: str, *, notify: Notify, owner: QObject | None = None) -> bool:
    """Print a plain report (X or Z) on the default printer, through its queue."""
    from vendor_console.devices.receipt_builder import build_text_page

    runtime = current_runtime()
    if runtime is None or not runtime.running:
        return False
    deliver(runtime.print_document(kind, lambda profile: build_text_page(text, profile)),
            on_success=lambda job: notify("Report sent to the printer." if job else
                                          "No receipt printer is set up."),
            on_failure=lambda _e, m: notify(m), owner=owner)
    return True


class PrintOutcomes(QObject):
    """Tells the cashier how receipts went; asks about the uncertain ones."""

    def __init__(self, parent: QWidget, notify: Notify) -> None:
        super().__init__(parent)
        self._parent = parent
        self._notify = notify
        self.asking: dict[str, QMessageBox] = {}
        self._waiting: set[str] = set()  # jobs already said to be waiting (retried quietly)
        bridge().job_finished.connect(self._finished)

    def _finished(self, event: object) -> None:
        result = getattr(event, "result", None)
        job_id = str(getattr(event, "job_id", ""))
        outcome = str(getattr(result, "outcome", ""))
        if outcome == "unknown":
            self.ask(job_id, str(getattr(result, "message", "")))
        elif outcome == "not_sent" and job_id not in self._waiting:
            self._waiting.add(job_id)
            message = str(getattr(result, "message", ""))
            if "kept" not in message:
                message += " The receipt is kept and prints when the printer is back."
            self._notify(message)

    def ask(self, job_id: str, why: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Did the receipt print?",
                          f"{why}\n\nLook at the printer: did the whole receipt come out?",
                          QMessageBox.StandardButton.NoButton, self._parent)
        box.setObjectName("unknownReceiptDialog")
        printed = box.addButton("It printed", QMessageBox.ButtonRole.AcceptRole)
        again = box.addButton("Print it again", QMessageBox.ButtonRole.RejectRole)
        printed.setObjectName("receiptPrinted")
        again.setObjectName("receiptPrintAgain")
        box.buttonClicked.connect(
            lambda button: self._answer(job_id, printed=button is printed))
        self.asking[job_id] = box
        box.open()
        return box

    def _answer(self, job_id: str, *, printed: bool) -> None:
        self.asking.pop(job_id, None)
        runtime = current_runtime()
        if runtime is None:
            return
        deliver(runtime.resolve_unknown(job_id, printed=printed),
                on_success=lambda _r: self._notify(
                    "Marked as printed." if printed else "Printing it again."),
                on_failure=lambda _e, m: self._notify(m), owner=self)
