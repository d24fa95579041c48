"""The Sell page over an open core: sign-in, then the sell screen; locks when idle.

Barcode scans (keyboard wedge) are recognised anywhere in the window while this page shows:
into the sale, or into the refund dialog when it is open.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget, QWidget

from ui.sell.flows import SellScreen
from ui.sell.idle import IdleWatcher
from ui.sell.refund_dialog import RefundDialog
from ui.sell.signin import SignInScreen
from ui.sell.style import counter_stylesheet
from ui.theme import current_theme
from ui.wedge import WedgeScanner
from ui.workers import run_in_background
from vendor_console.permissions import Actor
from vendor_console.services.checkout import ShopTerms
from vendor_console.services.counter import CoreLike, CounterServices


class SellPage(QStackedWidget):
    def __init__(self, core: CoreLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core: CoreLike | None = None
        self.services: CounterServices | None = None
        self.sign_in: SignInScreen | None = None
        self.sell: SellScreen | None = None
        self.idle: IdleWatcher | None = None
        self.devices: QObject | None = None  # printers, scanners, display (ui.devices)
        self.waiting = QLabel("Opening the shop database…", self)
        self.waiting.setObjectName("pageLead")
        self.waiting.setWordWrap(True)
        self.addWidget(self.waiting)
        self._styled_for: str | None = None
        self.restyle()
        self.scanner = WedgeScanner(accepts=self._scan_target, parent=self)
        self.scanner.scanned.connect(self._scanned)
        self.scanner.install()
        self.start(core)

    def restyle(self) -> None:
        """Follow the application theme (light or dark)."""
        app = QApplication.instance()
        theme = current_theme(app) if isinstance(app, QApplication) else None
        name = theme or "light"
        if name != self._styled_for:
            self._styled_for = name
            self.setStyleSheet(counter_stylesheet(name))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.StyleChange:
            self.restyle()
        super().changeEvent(event)

    # --- start-up -----------------------------------------------------------------------------

    def start(self, core: CoreLike) -> None:
        self.core = core
        services = CounterServices.over(core.db, core.settings)
        self.services = services

        def read() -> tuple[ShopTerms, int]:
            return services.shop_terms(), services.idle_lock_seconds()

        run_in_background(read, on_success=self._ready, on_failure=self._not_ready, owner=self)

    def _not_ready(self, _exc: BaseException, message: str) -> None:
        self.waiting.setText(message)

    def _ready(self, result: tuple[ShopTerms, int]) -> None:
        terms, idle_seconds = result
        assert self.services is not None
        self.sign_in = SignInScreen(self.services, self)
        self.sign_in.signed_in.connect(self._signed_in)
        self.sell = SellScreen(self.services, terms, self)
        self.sell.lock_requested.connect(lambda: self.lock("Locked."))
        self.sell.sale_completed.connect(lambda _r: self._refresh_window())  # unsynced count
        self.sell.search.load_tiles()
        self.addWidget(self.sign_in)
        self.addWidget(self.sell)
        self.idle = IdleWatcher(idle_seconds, self)
        self.idle.idle.connect(lambda: self.lock("Locked after no activity."))
        self.sign_in.load_staff()
        self.setCurrentWidget(self.sign_in)
        from ui.devices.sell_hooks import attach_devices

        self.devices = attach_devices(self)

    # --- who is at the till ---------------------------------------------------------------------

    def _signed_in(self, actor: Actor) -> None:
        assert self.sell is not None and self.idle is not None
        if self.core is not None:
            self.core.signed_in = actor
        if self.sell.actor is None or self.sell.actor.staff_id != actor.staff_id:
            self.sell.approver = None  # an approval belongs to the person it was given to
        self.sell.set_actor(actor)
        self.setCurrentWidget(self.sell)
        self.sell.focus_search()
        self.idle.start()
        self._refresh_window()

    def lock(self, reason: str) -> None:
        """Hide the sale behind the PIN screen; the cart stays as it is."""
        if self.sign_in is None or self.sell is None or self.currentWidget() is self.sign_in:
            return
        if self.idle is not None:
            self.idle.stop()
        if self.sell.active_dialog is not None:
            self.sell.active_dialog.reject()
        self.sign_in.show_locked(self.sell.actor, f"{reason} Type your PIN to carry on.")
        self.setCurrentWidget(self.sign_in)

    def is_locked(self) -> bool:
        return self.sign_in is not None and self.currentWidget() is self.sign_in

    def _refresh_window(self) -> None:
        refresh = getattr(self.window(), "refresh_status", None)
        if callable(refresh):
            refresh()

    # --- scans ----------------------------------------------------------------------------------

    def _scan_target(self, widget: QObject) -> bool:
        """Scans are taken on the sell screen and in the refund dialog, nowhere else (not on
        the PIN pad, not on other pages, not in other dialogs)."""
        sell = self.sell
        if sell is None or self.currentWidget() is not sell or not self.isVisible():
            return False
        if not isinstance(widget, QWidget):
            return False
        window = widget.window()
        return window is self.window() or isinstance(window, RefundDialog)

    def _scanned(self, code: str, target: QObject) -> None:
        sell = self.sell
        if sell is None or self.currentWidget() is not sell:
            return
        dialog = sell.active_dialog
        if isinstance(dialog, RefundDialog):
            dialog.find_receipt(code)
        elif dialog is not None and dialog.isVisible():
            sell.tell(f"Scanned {code}: close the open window first.")
        elif isinstance(target, QWidget) and target.window() is self.window():
            sell.add_by_code(code)
