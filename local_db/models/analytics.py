"""Analytics rollups: per shop-local business day sums kept by triggers (local_db.rollups).

Rows are sums over the base tables (sales, sale_lines, orders, order_lines, order history,
the audit log); :func:`local_db.rollups.rebuild` recomputes every one of them from scratch.
``day`` is the shop-local calendar date ``YYYY-MM-DD`` and ``month`` is ``YYYY-MM``, in the
time zone captured in ``analytics_tz``. Money is in minor units; quantities are scaled by
QTY_SCALE. Refunds are counted on the day they happened (not on the original sale's day).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import Base

WITHOUT_ROWID: Any = {"sqlite_with_rowid": False}  # rows live in the primary key's b-tree


class AnalyticsTimeZone(Base):
    """The shop's UTC offset from ``starts_at`` (UTC text) until the next row's start."""

    __tablename__ = "analytics_tz"

    starts_at: Mapped[str] = mapped_column(String(27), primary_key=True)
    offset_min: Mapped[int] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(64))


class AnalyticsDaily(Base):
    """Per day and channel ('counter' or 'marketplace'): documents and money."""

    __tablename__ = "analytics_daily"
    __table_args__ = WITHOUT_ROWID

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    sales_total: Mapped[int] = mapped_column(Integer, default=0)  # gross, what customers paid
    refund_count: Mapped[int] = mapped_column(Integer, default=0)
    refund_total: Mapped[int] = mapped_column(Integer, default=0)  # paid back, positive
    void_count: Mapped[int] = mapped_column(Integer, default=0)  # lines taken off a sale
    void_total: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsHourly(Base):
    """Per day and local hour (0-23): transactions and net money, both channels."""

    __tablename__ = "analytics_hourly"
    __table_args__ = WITHOUT_ROWID

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    sales_count: Mapped[int] = mapped_column(Integer, default=0)
    net_total: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsProductDaily(Base):
    """Per day and product ('' = lines without a catalog variant): net units and money."""

    __tablename__ = "analytics_product_daily"
    __table_args__ = WITHOUT_ROWID

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)  # sold minus refunded
    net_total: Mapped[int] = mapped_column(Integer, default=0)
    refund_quantity: Mapped[int] = mapped_column(Integer, default=0)
    refund_total: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsProductMonthly(Base):
    """The same sums per local month: long ranges read whole months from here. Keyed product
    first, so summing a range per product streams in key order (no sort)."""

    __tablename__ = "analytics_product_monthly"
    __table_args__ = WITHOUT_ROWID

    product_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    net_total: Mapped[int] = mapped_column(Integer, default=0)
    refund_quantity: Mapped[int] = mapped_column(Integer, default=0)
    refund_total: Mapped[int] = mapped_column(Integer, default=0)


class AnalyticsOrdersDaily(Base):
    """Marketplace order funnel per day the order was placed."""

    __tablename__ = "analytics_orders_daily"
    __table_args__ = WITHOUT_ROWID

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    placed: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)  # cancelled by the vendor
    timed_out: Mapped[int] = mapped_column(Integer, default=0)  # VENDOR_TIMEOUT
    customer_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    prep_seconds: Mapped[int] = mapped_column(Integer, default=0)  # CONFIRMED -> READY
    prep_count: Mapped[int] = mapped_column(Integer, default=0)
