"""Mirror of the marketplace's customer reviews (with the shop's reply) and the store's state
(pause, busy mode, opening hours, special days), so the Orders page and analytics show the
last known state offline. The server is authoritative; rows change only from sync pulls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base, Timestamps
from local_db.types import JSONText, UTCDateTime


class Review(Base, Timestamps):
    """A customer's review. ``order_remote_id`` links it to the mirrored order (and through
    its lines to products) when the order is known here."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_posted_at", "posted_at"),
        Index("ix_reviews_order", "order_remote_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(64), unique=True)  # rev_…
    version: Mapped[int] = mapped_column(Integer)
    order_remote_id: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int] = mapped_column(Integer)  # 1-5
    text: Mapped[str] = mapped_column(Text, default="")
    customer_name: Mapped[str | None] = mapped_column(String(200))
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the server's created_at
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the server's updated_at


class StoreState(Base, Timestamps):
    """The store as the marketplace last said (one row per vendor, in practice one)."""

    __tablename__ = "store_state"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(64), unique=True)  # ven_…
    version: Mapped[int] = mapped_column(Integer)
    pause_state: Mapped[str] = mapped_column(String(24), default="ONLINE")  # raw server value
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str | None] = mapped_column(String(64))
    busy_minutes: Mapped[int] = mapped_column(Integer, default=0)
    hours: Mapped[list[Any]] = mapped_column(JSONText, default=list)  # [{day, open, close}]
    special_days: Mapped[list[Any]] = mapped_column(JSONText, default=list)
    timezone: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the server's updated_at
