"""Counter sales (and refunds, which are sales of kind REFUND referencing the original)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import UTCDateTime


class Sale(Base):
    """A completed counter document. Immutable once written; a refund is a new Sale."""

    __tablename__ = "sales"
    __table_args__ = (
        CheckConstraint("kind IN ('SALE','REFUND')", name="kind"),
        Index("ix_sales_completed_at", "completed_at"),
        Index("ix_sales_original", "original_sale_id"),
        Index("ix_sales_shift", "shift_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)  # the marketplace's idempotent sale id
    receipt_number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default="SALE")
    original_sale_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sales.id"))
    shift_id: Mapped[str | None] = mapped_column(ID, ForeignKey("shifts.id"))
    staff_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    location_id: Mapped[str] = mapped_column(ID, ForeignKey("locations.id"))
    currency: Mapped[str] = mapped_column(String(3))
    prices_include_tax: Mapped[bool] = mapped_column(Boolean)
    subtotal: Mapped[int] = mapped_column(Integer)  # sum of line totals before sale discount
    discount_total: Mapped[int] = mapped_column(Integer, default=0)
    tax_total: Mapped[int] = mapped_column(Integer)
    rounding: Mapped[int] = mapped_column(Integer, default=0)  # cash rounding adjustment
    total: Mapped[int] = mapped_column(Integer)  # what the customer paid (refund: paid back)
    note: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    remote_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int | None] = mapped_column(Integer)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    __table_args__ = (
        Index("ix_sale_lines_sale", "sale_id"),
        Index("ix_sale_lines_original", "original_line_id"),
        Index("ix_sale_lines_variant", "variant_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ID, ForeignKey("sales.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[str | None] = mapped_column(ID, ForeignKey("variants.id"))
    original_line_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sale_lines.id"))
    name: Mapped[str] = mapped_column(String(300))  # snapshot: product and variant name
    sku: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(8), default="pc")
    quantity: Mapped[int] = mapped_column(Integer)  # scaled by QTY_SCALE, positive
    unit_price: Mapped[int] = mapped_column(Integer)  # as charged, after any override
    list_price: Mapped[int] = mapped_column(Integer)  # catalog price at the time
    discount: Mapped[int] = mapped_column(Integer, default=0)  # line + share of sale discount
    tax_rate_bp: Mapped[int] = mapped_column(Integer)
    tax_amount: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)  # charged for the line, tax as the shop shows it
    note: Mapped[str | None] = mapped_column(Text)


class SaleTender(Base):
    __tablename__ = "sale_tenders"
    __table_args__ = (Index("ix_sale_tenders_sale", "sale_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ID, ForeignKey("sales.id"))
    kind: Mapped[str] = mapped_column(String(32))  # CASH, CARD, or a shop-defined tender code
    amount: Mapped[int] = mapped_column(Integer)  # applied to the sale
    tendered: Mapped[int] = mapped_column(Integer)  # handed over (cash), >= amount
    change: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str | None] = mapped_column(String(100))  # card terminal reference


class SaleTax(Base):
    __tablename__ = "sale_taxes"

    sale_id: Mapped[str] = mapped_column(ID, ForeignKey("sales.id"), primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    taxable: Mapped[int] = mapped_column(Integer)  # net amount the rate applied to
    tax: Mapped[int] = mapped_column(Integer)


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_open", "closed_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # Z number
    location_id: Mapped[str] = mapped_column(ID, ForeignKey("locations.id"))
    opened_by: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opening_float: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected_cash: Mapped[int | None] = mapped_column(Integer)
    counted_cash: Mapped[int | None] = mapped_column(Integer)


class CashMovement(Base):
    __tablename__ = "cash_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('FLOAT','IN','OUT','SALE','REFUND')", name="kind"),
        Index("ix_cash_movements_shift", "shift_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ID, ForeignKey("shifts.id"))
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(Integer)  # signed: money into the drawer is positive
    reason: Mapped[str | None] = mapped_column(Text)
    sale_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sales.id"))
    staff_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
