"""Sync bookkeeping: the transactional outbox and the change-feed cursors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import JSONText, UTCDateTime


class OutboxEntry(Base):
    """A local change the marketplace has not acknowledged yet.

    Written in the same transaction as the change. ``seq`` orders delivery; the
    ``idempotency_key`` is fixed at birth and reused on every retry.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('PENDING','SENT','DEAD','DISCARDED')", name="status"),
        Index("ix_outbox_pending", "status", "seq"),
        Index("ix_outbox_resource", "resource_type", "resource_id"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(ID, unique=True)
    resource_type: Mapped[str] = mapped_column(String(32))  # sale, inventory_change, product…
    resource_id: Mapped[str] = mapped_column(ID)
    operation: Mapped[str] = mapped_column(String(32))  # create, update, delete, action name
    payload: Mapped[dict[str, Any]] = mapped_column(JSONText)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="PENDING")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncCursor(Base):
    __tablename__ = "sync_cursors"

    stream: Mapped[str] = mapped_column(String(32), primary_key=True)  # "changes"
    cursor: Mapped[str | None] = mapped_column(String(128))
    clock_skew_ms: Mapped[int] = mapped_column(Integer, default=0)  # server minus local
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
