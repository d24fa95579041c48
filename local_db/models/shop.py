"""Shop settings, locations, tax rates and the key/value settings store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base, Synced, Timestamps
from local_db.types import JSONText


class Shop(Base, Synced):
    """The one shop this till belongs to (a single row)."""

    __tablename__ = "shop"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    tax_number: Mapped[str | None] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    locale: Mapped[str] = mapped_column(String(16), default="en_GB")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=True)
    cash_rounding: Mapped[int] = mapped_column(Integer, default=1)  # minor units, e.g. 5
    receipt_header: Mapped[str | None] = mapped_column(Text)
    receipt_footer: Mapped[str | None] = mapped_column(Text)
    device_prefix: Mapped[str] = mapped_column(String(8), default="A")  # receipt numbers


class Location(Base, Synced):
    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class TaxRate(Base, Synced):
    __tablename__ = "tax_rates"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # the marketplace's tax_code
    name: Mapped[str] = mapped_column(String(100))
    rate_bp: Mapped[int] = mapped_column(Integer)  # basis points: 2000 = 20.00 %


class Setting(Base, Timestamps):
    """Application settings declared in vendor_console.settings; values stored as JSON."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONText)


class Counter(Base):
    """Named monotonically increasing counters (receipt numbers, shift Z numbers)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
