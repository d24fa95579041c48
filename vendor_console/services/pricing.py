"""Pricing a cart and settling its payments: pure functions, no database.

The checkout service fetches the variant snapshots and shop settings, then calls
:func:`price_cart` and :func:`settle_tenders`; the UI can call the same functions (through
``CheckoutService.quote``) so the total it shows is the total that will be charged.
All rounding goes through :mod:`vendor_console.money`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vendor_console import money
from vendor_console.errors import InvalidPrice, InvalidQuantity, PaymentMismatch, ValidationError
from vendor_console.ids import new_id
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.sale_records import TenderRecord

CASH = "CASH"
CARD = "CARD"
MAX_QUANTITY = 1_000_000 * QTY_SCALE


@dataclass(frozen=True, slots=True)
class Discount:
    """Money off: a fixed ``amount`` in minor units, or ``bp`` basis points (1000 = 10 %)."""

    amount: int = 0
    bp: int = 0

    def value(self, base: int, what: str) -> int:
        if self.amount < 0 or not 0 <= self.bp <= money.BP_SCALE or (self.amount and self.bp):
            raise InvalidPrice(f"The {what} must be an amount or a percentage up to 100 %.",
                               field="discount")
        off = self.amount or money.percent_of(base, self.bp)
        if off > base:
            raise InvalidPrice(f"The {what} is more than the price it applies to.",
                               field="discount")
        return off


@dataclass(frozen=True, slots=True)
class CartLine:
    variant_id: str
    quantity: int  # scaled by QTY_SCALE
    unit_price: int | None = None  # a price override; None = the catalog price
    discount: Discount | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...]
    sale_discount: Discount | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Tender:
    """A payment. ``amount`` is what it pays; cash may pay more than is due (change is given).

    ``tendered`` (cash only) is what the customer handed over, if more than ``amount``.
    """

    kind: str  # CASH, CARD or a shop-defined tender code
    amount: int
    tendered: int | None = None
    reference: str | None = None  # card terminal reference


@dataclass(frozen=True, slots=True)
class VariantSnapshot:
    """What a sale line copies from the catalog at the time of sale."""

    id: str
    name: str  # product name + variant name
    sku: str | None
    unit: str
    precision: int
    price: int
    tax_rate_bp: int
    track_inventory: bool
    archived: bool = False


@dataclass(frozen=True, slots=True)
class PricedLine:
    line_no: int
    variant: VariantSnapshot
    quantity: int
    unit_price: int
    gross: int  # unit_price x quantity
    discount: int  # own discount + share of the sale discount
    tax: int
    net: int  # amount without tax
    total: int  # amount with tax
    note: str | None

    @property
    def overridden(self) -> bool:
        return self.unit_price != self.variant.price

    def discount_over(self, limit_bp: int) -> bool:
        """More than ``limit_bp`` off this line, allowing the one minor unit that rounding a
        percentage and spreading a sale discount may add (10 % of 9.99 is 1.00 off)."""
        return self.discount > money.percent_of(self.gross, limit_bp) + 1


@dataclass(frozen=True, slots=True)
class Totals:
    lines: tuple[PricedLine, ...]
    subtotal: int
    discount_total: int
    tax_total: int
    taxes: dict[int, tuple[int, int]]  # rate_bp -> (taxable net, tax)
    rounding: int
    total: int


def is_cash_only(tenders: Sequence[Tender]) -> bool:
    return bool(tenders) and all(t.kind.strip().upper() == CASH for t in tenders)


def check_quantity(quantity: int, variant: VariantSnapshot) -> None:
    step = QTY_SCALE // 10**variant.precision
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise InvalidQuantity(f"The quantity of {variant.name} must be more than zero.",
                              field="quantity")
    if quantity % step:
        allowed = "whole numbers" if variant.precision == 0 else f"{variant.precision} decimals"
        raise InvalidQuantity(
            f"{variant.name} is sold in {allowed} of {variant.unit}.", field="quantity"
        )


def price_cart(
    cart: Cart, variants: dict[str, VariantSnapshot], *, prices_include_tax: bool,
    cash_rounding: int = 1,
) -> Totals:
    """Price every line, spread the sale discount, compute tax per line, then cash rounding.

    ``cash_rounding`` is the smallest coin when the payment is cash only, 1 otherwise.
    """
    if not cart.lines:
        raise ValidationError("The cart is empty.")
    bases: list[tuple[int, int, int]] = []  # (unit price, gross, own discount) per line
    afters: list[int] = []
    for line in cart.lines:
        variant = variants[line.variant_id]
        check_quantity(line.quantity, variant)
        unit_price = variant.price if line.unit_price is None else line.unit_price
        if not 0 <= unit_price <= money.MAX_AMOUNT:
            raise InvalidPrice(f"The price of {variant.name} is not valid.", field="unit_price")
        gross = money.line_amount(unit_price, line.quantity, QTY_SCALE)
        own = line.discount.value(gross, f"discount on {variant.name}") if line.discount else 0
        bases.append((unit_price, gross, own))
        afters.append(gross - own)
    base = sum(afters)
    sale_off = cart.sale_discount.value(base, "sale discount") if cart.sale_discount else 0
    shares = money.allocate(sale_off, afters)
    priced: list[PricedLine] = []
    taxes: dict[int, tuple[int, int]] = {}
    for i, (line, (unit_price, gross, own), after, share) in enumerate(
        zip(cart.lines, bases, afters, shares, strict=True), start=1
    ):
        variant = variants[line.variant_id]
        amount, rate = after - share, variant.tax_rate_bp
        if prices_include_tax:
            tax = money.tax_from_inclusive(amount, rate)
            net, total = amount - tax, amount
        else:
            tax = money.tax_from_exclusive(amount, rate)
            net, total = amount, amount + tax
        priced.append(PricedLine(i, variant, line.quantity, unit_price, gross, own + share,
                                 tax, net, total, line.note))
        taxable, tax_sum = taxes.get(rate, (0, 0))
        taxes[rate] = (taxable + net, tax_sum + tax)
    before_rounding = sum(p.total for p in priced)
    total = money.cash_round(before_rounding, cash_rounding)
    return Totals(
        tuple(priced), sum(p.gross for p in priced),
        sum(p.discount for p in priced), sum(p.tax for p in priced), taxes,
        total - before_rounding, total,
    )


def settle_tenders(
    total: int, tenders: Sequence[Tender], *, currency: str, locale: str,
    allow_change: bool = True,
) -> tuple[TenderRecord, ...]:
    """Check the payments cover ``total`` and work out what each applied and the change.

    Non-cash tenders may not pay more than the total; cash may (when ``allow_change``), and
    the excess is change, taken from the last cash tender first.
    """
    def fmt(amount: int) -> str:
        return money.format_money(amount, currency, locale)

    kinds = []
    for t in tenders:
        kind = t.kind.strip().upper()
        if not kind or len(kind) > 32:
            raise PaymentMismatch("Choose how the customer pays.", field="tenders")
        if t.amount <= 0 or t.amount > money.MAX_AMOUNT:
            raise PaymentMismatch("Each payment must be more than zero.", field="tenders")
        if t.tendered is not None and (
            t.tendered < t.amount or (kind != CASH and t.tendered != t.amount)
        ):
            raise PaymentMismatch("Only cash can be handed over in excess.", field="tenders")
        kinds.append(kind)
    paid = sum(t.amount for t in tenders)
    non_cash = sum(t.amount for t, k in zip(tenders, kinds, strict=True) if k != CASH)
    if non_cash > total:
        raise PaymentMismatch(
            f"Card and other payments ({fmt(non_cash)}) are more than the total "
            f"({fmt(total)}); only cash can give change.", field="tenders")
    if paid < total or (paid > total and not allow_change):
        raise PaymentMismatch(
            f"The payments ({fmt(paid)}) do not match the total ({fmt(total)}).",
            field="tenders")
    excess = paid - total
    takes = [0] * len(tenders)
    for i in reversed(range(len(tenders))):
        if kinds[i] == CASH:
            takes[i] = min(excess, tenders[i].amount)
            excess -= takes[i]
    records = []
    for t, kind, take in zip(tenders, kinds, takes, strict=True):
        handed = t.tendered if t.tendered is not None else t.amount
        applied = t.amount - take
        records.append(TenderRecord(new_id(), kind, applied, handed, handed - applied,
                                    t.reference))
    return tuple(records)
