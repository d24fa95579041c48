"""Paying, parking, refunds and shifts from the sell screen.

"Pay" needs an open shift (the open-shift dialog asks for the counted float first). The
tenders go to ``CheckoutService.complete_sale`` on a worker: one durable transaction. The
sale id is chosen before the call, so a retry after an unclear failure cannot sell twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog

from ui.sell.ask import ask
from ui.sell.cart_model import CartItem
from ui.sell.line_actions import LineActionsScreen
from ui.sell.parked_dialog import ParkedDialog
from ui.sell.payment import PaymentDialog
from ui.sell.receipt_view import ReceiptDialog, queue_receipt_print
from ui.sell.refund_dialog import RefundDialog
from ui.sell.shift_dialogs import ShiftDialog
from ui.workers import run_in_background
from vendor_console.ids import new_id
from vendor_console.services.parked_sales import ParkedSale
from vendor_console.services.pricing import CASH, Tender, VariantSnapshot
from vendor_console.services.sale_records import SaleRecord
from vendor_console.services.shifts import ShiftRecord
from vendor_console.tender_config import TenderOption


class SellScreen(LineActionsScreen):
    pending_sale_id: str | None = None
    completing = False
    drawer_kinds: frozenset[str] | set[str] = frozenset({CASH})  # tenders that open it

    # --- payment ------------------------------------------------------------------------------

    def pay_cash(self) -> None:
        self.start_payment(card=False)

    def pay_card(self) -> None:
        self.start_payment(card=True)

    def start_payment(self, *, card: bool) -> None:
        if self.model.is_empty() or self.model.totals is None:
            self.tell("Add an item first.")
            return
        if self.completing or self.actor is None:
            return
        shifts, tenders = self.services.shifts, self.services.tenders
        run_in_background(lambda: (shifts.current_shift(), tenders.options()),
                          on_success=lambda found: self._shift_checked(*found, card=card),
                          on_failure=self.failed, owner=self)

    def _shift_checked(self, shift: ShiftRecord | None, others: tuple[TenderOption, ...],
                       *, card: bool) -> None:
        if shift is None:
            self.tell("Open a shift first: count the float in the drawer.")
            self.show_shift()
            return
        assert self.model.totals is not None
        self.drawer_kinds = {CASH} | {o.kind for o in others if o.opens_drawer}
        dialog = PaymentDialog(self.terms, self.model.totals.total, self, others)
        dialog.paid.connect(self.complete)
        self.open_dialog(dialog)
        if card:
            dialog.reference.setFocus()

    def complete(self, tenders: Sequence[Tender]) -> None:
        actor = self.actor
        if actor is None or self.completing:
            return
        self.completing = True
        self.pending_sale_id = self.pending_sale_id or new_id()
        sale_id, cart, approver = self.pending_sale_id, self.model.cart(), self.approver
        checkout = self.services.checkout
        self.tell("Completing the sale…")
        run_in_background(
            lambda: checkout.complete_sale(actor, cart, tenders, approver=approver,
                                           sale_id=sale_id),
            on_success=self._completed, on_failure=self._not_completed, owner=self,
            on_done=self._completion_over)

    def _completion_over(self) -> None:
        self.completing = False  # also after a bug, so "Pay" works again

    def _completed(self, record: SaleRecord) -> None:
        self.completing = False
        self.pending_sale_id = None
        self.approver = None
        self.model.clear()
        self.sale_completed.emit(record)
        change = self.model.money(record.change_due) if record.change_due else None
        self.tell(f"Sale {record.receipt_number} done."
                  + (f" Change: {change}." if change else ""))
        drawer = any(t.kind in self.drawer_kinds for t in record.tenders)
        queue_receipt_print(self.services, record.id, open_drawer=drawer, notify=self.tell_also,
                            owner=self)
        self.open_dialog(ReceiptDialog(self.services, record.id, change=change, parent=self))

    def _not_completed(self, _exc: BaseException, message: str) -> None:
        self.completing = False
        self.pending_sale_id = None  # nothing was written: the next try is a new sale
        self.tell(f"The sale was not completed: {message}")

    # --- parking --------------------------------------------------------------------------------

    def park(self) -> None:
        if self.model.is_empty() or self.actor is None:
            self.tell("There is nothing to park.")
            return
        self.open_dialog(ask(self, "Park sale", "A name to find it again (optional):",
                             self.park_as))

    def park_as(self, label: str) -> None:
        if self.actor is None or self.model.totals is None:
            return
        actor, cart, total = self.actor, self.model.cart(), self.model.totals.total
        parked = self.services.parked
        run_in_background(lambda: parked.park(actor, cart, label=label, total=total),
                          on_success=self._parked, on_failure=self.failed, owner=self)

    def _parked(self, _summary: object) -> None:
        self.model.clear()
        self.approver = None
        self.tell("Sale parked: F7 brings it back.")

    def show_parked(self) -> None:
        dialog = ParkedDialog(self.services, self.model.money, self)
        dialog.resume_requested.connect(self.resume)
        self.open_dialog(dialog)

    def resume(self, parked_id: str) -> None:
        if not self.model.is_empty():
            self.tell("Finish or park the sale on screen first.")
            return
        if self.actor is None:
            return
        actor, services = self.actor, self.services

        def take() -> tuple[ParkedSale, dict[str, VariantSnapshot]]:
            # The items must still be sold (NotFound otherwise) before the cart leaves the list.
            waiting = services.parked.get(parked_id)
            snaps = services.snapshots([ln.variant_id for ln in waiting.cart.lines])
            return services.parked.resume(actor, parked_id), snaps

        run_in_background(take, on_success=self._resumed, on_failure=self.failed, owner=self)

    def _resumed(self, result: tuple[ParkedSale, dict[str, VariantSnapshot]]) -> None:
        parked, snaps = result
        items = [CartItem(snaps[ln.variant_id], ln.quantity, ln.unit_price, ln.discount,
                          ln.note) for ln in parked.cart.lines]
        self.model.load(items, parked.cart.sale_discount)
        self.tell(f"Resumed “{parked.summary.label}”.")

    # --- refunds, receipts, shifts ------------------------------------------------------------

    def show_refunds(self) -> None:
        self.open_refund(None)

    def open_refund(self, receipt: SaleRecord | None = None) -> None:
        if self.actor is None:
            return
        dialog = RefundDialog(self.services, self.actor, self.model.money, self)
        dialog.refunded.connect(self._refunded)
        dialog.show_receipt.connect(self.show_receipt)
        if receipt is not None:
            dialog.show_sale(receipt)
        self.open_dialog(dialog)

    def _refunded(self, record: SaleRecord) -> None:
        self.tell(f"Refund {record.receipt_number}: {self.model.money(record.total)} "
                  "paid back.")
        queue_receipt_print(self.services, record.id, notify=self.tell_also, owner=self,
                            open_drawer=any(t.kind == CASH for t in record.tenders))
        self.open_dialog(ReceiptDialog(self.services, record.id, parent=self))

    def tell_also(self, text: str) -> None:
        """Add a device notice (printing, drawer) after what the screen already says."""
        current = self.notice.text()
        self.tell(f"{current} {text}" if current and text not in current else text)

    def no_sale(self) -> None:
        from ui.devices.no_sale import open_no_sale

        open_no_sale(self)

    def show_receipt(self, sale_id: str) -> QDialog:
        dialog = ReceiptDialog(self.services, sale_id, parent=self)
        dialog.open()
        return dialog

    def show_shift(self) -> None:
        if self.actor is None:
            return
        self.open_dialog(ShiftDialog(self.services, self.actor, self.terms.currency,
                                     self.model.money, self))
