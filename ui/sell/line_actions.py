"""Editing the sale: quantity, note, discounts, price override, removing a line.

Gated edits mirror the services' checks so the cashier learns at once, not at "Pay": over
the role's discount limit or changing a price needs the permission or a manager's PIN (the
approver then goes with the sale to ``complete_sale``, which checks again). Removing a line
is recorded by ``line_voids.void_line`` (audited) before the line leaves the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.sell.approval import ask_approval
from ui.sell.ask import ask
from ui.sell.sell_screen import SellScreenBase
from ui.workers import run_in_background
from vendor_console import money
from vendor_console.errors import DomainError, PermissionDenied
from vendor_console.permissions import Actor, Permission, add_approval
from vendor_console.quantities import format_quantity, parse_quantity
from vendor_console.services.pricing import Discount


def parse_discount(text: str, currency: str) -> Discount | None:
    """``"10%"`` is a percentage, ``"1.50"`` an amount; empty or zero removes the discount."""
    text = text.strip()
    if not text:
        return None
    if text.endswith("%"):
        bp = money.parse_percent(text)
        return Discount(bp=bp) if bp else None
    amount = money.parse_money(text, currency, field="discount")
    return Discount(amount=amount) if amount else None


class LineActionsScreen(SellScreenBase):
    def _row_or_tell(self) -> int | None:
        row = self.current_row()
        if row is None:
            self.tell("Add an item first.")
        return row

    def _apply(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except DomainError as exc:
            self.tell(exc.user_message)
            return False
        return True

    def ask_quantity(self) -> None:
        row = self._row_or_tell()
        if row is None:
            return
        item = self.model.item(row)
        snap = item.snapshot
        unit = "" if snap.unit == "pc" else f" in {snap.unit}"
        decimals = f", up to {snap.precision} decimals" if snap.precision else ""
        self.open_dialog(ask(
            self, "Quantity", f"{snap.name}: quantity{unit}{decimals}",
            lambda text: self.set_quantity(row, text),
            format_quantity(item.quantity, snap.precision)))

    def set_quantity(self, row: int, text: str) -> bool:
        snap = self.model.item(row).snapshot
        return self._apply(lambda: self.model.update(
            row, quantity=parse_quantity(text, snap.precision, snap.unit)))

    def ask_note(self) -> None:
        row = self._row_or_tell()
        if row is None:
            return
        item = self.model.item(row)
        self.open_dialog(ask(self, "Line note", f"Note for {item.snapshot.name}",
                             lambda text: self._apply(
                                 lambda: self.model.update(row, note=text[:500] or None)),
                             item.note or ""))

    # --- discounts --------------------------------------------------------------------------

    def ask_line_discount(self) -> None:
        row = self._row_or_tell()
        if row is None:
            return
        self.open_dialog(ask(self, "Line discount",
                             "Discount on this line: an amount (1.50) or a percentage (10%)",
                             lambda text: self.set_line_discount(row, text)))

    def ask_sale_discount(self) -> None:
        if self.model.is_empty():
            self.tell("Add an item first.")
            return
        self.open_dialog(ask(self, "Sale discount",
                             "Discount on the whole sale: an amount or a percentage (10%)",
                             self.set_sale_discount))

    def set_line_discount(self, row: int, text: str) -> bool:
        def change() -> None:
            discount = parse_discount(text, self.terms.currency)
            before = self.model.item(row).discount
            self.model.update(row, discount=discount)
            self._check_limit(lambda: self.model.update(row, discount=before),
                              lambda: self.set_line_discount(row, text))

        return self._apply(change)

    def set_sale_discount(self, text: str) -> bool:
        def change() -> None:
            discount = parse_discount(text, self.terms.currency)
            before = self.model.sale_discount
            self.model.set_sale_discount(discount)
            self._check_limit(lambda: self.model.set_sale_discount(before),
                              lambda: self.set_sale_discount(text))

        return self._apply(change)

    def _check_limit(self, undo: Callable[[], object], retry: Callable[[], object]) -> None:
        """Over the cashier's limit: undo, ask a manager, and redo once approved."""
        actor, totals = self.actor, self.model.totals
        if actor is None or totals is None or self.may(Permission.DISCOUNT_OVER_LIMIT):
            return
        if not any(p.discount_over(actor.discount_limit_bp) for p in totals.lines):
            return
        undo()
        limit = f"{actor.discount_limit_bp / 100:g} %"
        self.tell(f"That discount is over {actor.name}'s limit of {limit}.")
        self._approve(Permission.DISCOUNT_OVER_LIMIT,
                      f"A discount over {limit} needs a manager.", lambda _a: retry())

    def _approve(self, permission: Permission, why: str,
                 then: Callable[[Actor], object]) -> None:
        def approved(approver: Actor) -> None:
            self.approver = add_approval(self.approver, approver)  # each for its own kind
            self.tell(f"Approved by {approver.name}.")
            then(approver)

        self.open_dialog(ask_approval(self, self.services, permission, why, approved))

    # --- price override and removing a line --------------------------------------------------

    def ask_price(self) -> None:
        row = self._row_or_tell()
        if row is None:
            return
        if not self.may(Permission.PRICE_OVERRIDE):
            self._approve(Permission.PRICE_OVERRIDE, "Changing a price needs a manager.",
                          lambda _a: self.ask_price())
            return
        item = self.model.item(row)
        current = item.snapshot.price if item.unit_price is None else item.unit_price
        self.open_dialog(ask(
            self, "Change price", f"New unit price of {item.snapshot.name}",
            lambda text: self.set_price(row, text),
            str(money.to_decimal(current, self.terms.currency))))

    def set_price(self, row: int, text: str) -> bool:
        def change() -> None:
            price = money.parse_money(text, self.terms.currency)
            listed = self.model.item(row).snapshot.price
            self.model.update(row, unit_price=None if price == listed else price)

        return self._apply(change)

    def remove_line(self) -> None:
        row = self._row_or_tell()
        if row is None or self.actor is None:
            return
        actor, item = self.actor, self.model.item(row)
        totals = self.model.totals
        amount = totals.lines[row].total if totals else 0
        approver = self.approver

        def record() -> None:
            self.services.void_line(actor, variant_id=item.snapshot.id,
                                    name=item.snapshot.name, quantity=item.quantity,
                                    amount=amount, approver=approver)

        def done(_none: None) -> None:
            if row < self.model.rowCount() and self.model.item(row) is item:
                self.model.remove(row)
                self.tell(f"Removed {item.snapshot.name}.")

        def refused(exc: BaseException, message: str) -> None:
            self.tell(message)
            if isinstance(exc, PermissionDenied):
                self._approve(Permission.VOID_LINE, "Removing a line needs a manager.",
                              lambda _a: self.remove_line())

        run_in_background(record, on_success=done, on_failure=refused, owner=self)
