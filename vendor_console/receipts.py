"""What a receipt says, as a plain document: printed by the printer, shown by the Sell screen.

A :class:`ReceiptDocument` holds amounts as int minor units and the time as a UTC datetime;
:meth:`ReceiptDocument.money` and :meth:`ReceiptDocument.when` give the shop-localized text
(Babel), so the printer and the screen say exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from sqlalchemy import select

from local_db.database import Database
from local_db.tables import locations, staff
from vendor_console.errors import NotFound
from vendor_console.money import format_money, line_amount
from vendor_console.quantities import QTY_SCALE, format_quantity
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.shop import get_shop

TENDER_LABELS = {"CASH": "Cash", "CARD": "Card"}


def tender_label(kind: str) -> str:
    """A shop tender's code as words: GIFT_VOUCHER -> "Gift voucher"."""
    return kind.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    name: str
    quantity: str  # as sold: "2", "0.350 kg"
    unit_price: int
    amount: int  # unit_price x quantity, before the discount
    total: int  # what the customer pays for the line (after its discount, with its tax)
    discount: int = 0
    note: str | None = None
    show_quantity: bool = True  # False for a single piece: the line shows only its total


@dataclass(frozen=True, slots=True)
class ReceiptTax:
    rate_bp: int
    taxable: int
    tax: int


@dataclass(frozen=True, slots=True)
class ReceiptTender:
    label: str
    amount: int
    tendered: int
    change: int
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    shop_name: str
    header: tuple[str, ...]  # address lines, tax number …
    receipt_number: str
    kind: str  # SALE or REFUND
    completed_at: datetime  # UTC
    currency: str
    locale: str
    timezone: str
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    discount_total: int
    taxes: tuple[ReceiptTax, ...]
    tax_total: int
    prices_include_tax: bool
    rounding: int
    total: int
    tenders: tuple[ReceiptTender, ...]
    change: int
    served_by: str | None = None
    footer: tuple[str, ...] = ("Thank you!",)
    original_receipt: str | None = None  # refunds: the sale they refund

    def money(self, amount: int) -> str:
        return format_money(amount, self.currency, self.locale)

    def when(self) -> str:
        local = self.completed_at.astimezone(ZoneInfo(self.timezone))
        return str(format_datetime(local, "short", locale=self.locale))

    def rate(self, rate_bp: int) -> str:
        """A tax rate in basis points as localized text: 2000 -> "20 %", 550 -> "5,5 %"."""
        return f"{format_decimal(Decimal(rate_bp).scaleb(-2), locale=self.locale)} %"


def receipt_for_sale(
    db: Database, sale_id: str, *, footer: tuple[str, ...] = ("Thank you!",)
) -> ReceiptDocument:
    """The receipt of a completed sale or refund (raises ``NotFound``)."""
    sale = CheckoutService(db).get_sale(sale_id)
    with db.read() as conn:
        info = get_shop(conn)
        if info is None:
            raise NotFound("This till has no shop yet; finish the shop setup first.")
        address = conn.execute(
            select(locations.c.address).where(locations.c.id == sale.location_id)
        ).scalar()
        served_by = conn.execute(select(staff.c.name).where(staff.c.id == sale.staff_id)).scalar()
        original = None
        if sale.original_sale_id:
            original_sale = CheckoutService(db).get_sale(sale.original_sale_id)
            original = original_sale.receipt_number
    lines = tuple(
        ReceiptLine(
            name=ln.name,
            quantity=format_quantity(ln.quantity, ln.precision)
            + ("" if ln.unit in ("", "pc") else f" {ln.unit}"),
            unit_price=ln.unit_price, amount=line_amount(ln.unit_price, ln.quantity),
            total=ln.total, discount=ln.discount, note=ln.note,
            show_quantity=ln.quantity != QTY_SCALE,
        )
        for ln in sale.lines
    )
    return ReceiptDocument(
        shop_name=info.name,
        header=tuple(part.strip() for part in (address or "").splitlines() if part.strip()),
        receipt_number=sale.receipt_number, kind=sale.kind, completed_at=sale.completed_at,
        currency=sale.currency, locale=info.locale, timezone=info.timezone, lines=lines,
        subtotal=sale.subtotal, discount_total=sale.discount_total,
        taxes=tuple(ReceiptTax(t.rate_bp, t.taxable, t.tax) for t in sale.taxes),
        tax_total=sale.tax_total, prices_include_tax=sale.prices_include_tax,
        rounding=sale.rounding, total=sale.total,
        tenders=tuple(
            ReceiptTender(TENDER_LABELS.get(t.kind, tender_label(t.kind)), t.amount, t.tendered,
                          t.change, t.reference)
            for t in sale.tenders
        ),
        change=sale.change_due, served_by=served_by, footer=footer, original_receipt=original,
    )
