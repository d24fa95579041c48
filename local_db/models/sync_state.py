"""Sync state beyond the outbox: issues the user must see, and last-seen server snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import JSONText, UTCDateTime


class SyncIssue(Base):
    """Something sync could not settle alone: a reverted order action, a catalog conflict to
    choose, negative stock or an oversell. Resolved issues keep ``resolved_at``."""

    __tablename__ = "sync_issues"
    __table_args__ = (Index("ix_sync_issues_open", "resolved_at", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # order_reverted, conflict, negative_stock…
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncBase(Base):
    """The last server snapshot seen of a catalog resource: the base of field-by-field merges."""

    __tablename__ = "sync_bases"

    resource_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONText)
