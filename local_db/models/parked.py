"""Parked sales: carts put aside at the counter, kept across restarts until resumed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import JSONText, UTCDateTime


class ParkedSale(Base):
    """A cart waiting to be finished. Resuming it deletes the row (it is back on screen)."""

    __tablename__ = "parked_sales"
    __table_args__ = (Index("ix_parked_sales_parked_at", "parked_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    label: Mapped[str] = mapped_column(String(100))  # what the cashier typed, or a default
    staff_id: Mapped[str] = mapped_column(ID, ForeignKey("staff.id"))
    location_id: Mapped[str] = mapped_column(ID, ForeignKey("locations.id"))
    cart: Mapped[dict[str, Any]] = mapped_column(JSONText)  # lines, discounts, notes
    item_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)  # minor units, as quoted when parked
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime)
