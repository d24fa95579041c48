"""Mirror of marketplace orders. The server is authoritative for the state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base, Timestamps
from local_db.types import JSONText, UTCDateTime


class Order(Base, Timestamps):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_status", "status", "placed_at"),
        Index("ix_orders_placed_at", "placed_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(64), unique=True)  # ord_…
    version: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))  # short code shown to staff
    status: Mapped[str] = mapped_column(String(24))  # raw server value, unknown kept as is
    # The server's last known status; ``status`` may run ahead with a local action not yet sent.
    server_status: Mapped[str | None] = mapped_column(String(24))
    fulfillment_type: Mapped[str] = mapped_column(String(16), default="PICKUP")
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_note: Mapped[str | None] = mapped_column(Text)
    pickup_code: Mapped[str | None] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(Integer)
    tax_total: Mapped[int] = mapped_column(Integer)
    delivery_fee: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accept_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    estimated_ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)  # unknown fields kept


class OrderLine(Base):
    """Snapshot of what was ordered: name, price and tax as at order time."""

    __tablename__ = "order_lines"
    __table_args__ = (Index("ix_order_lines_order", "order_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    order_id: Mapped[str] = mapped_column(ID, ForeignKey("orders.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    remote_variant_id: Mapped[str | None] = mapped_column(String(64))
    variant_id: Mapped[str | None] = mapped_column(ID, ForeignKey("variants.id"))
    name: Mapped[str] = mapped_column(String(300))
    sku: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)  # scaled by QTY_SCALE
    unit_price: Mapped[int] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer)
    tax_amount: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class OrderStatusHistory(Base):
    __tablename__ = "order_status_history"
    __table_args__ = (Index("ix_order_status_history_order", "order_id", "at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    order_id: Mapped[str] = mapped_column(ID, ForeignKey("orders.id"))
    status: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_type: Mapped[str | None] = mapped_column(String(16))  # customer, vendor, system
    reason_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
