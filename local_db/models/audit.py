"""Append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import JSONText, UTCDateTime


class AuditEntry(Base):
    """One audited action. ``hash`` = SHA-256 over ``prev_hash`` and this row's content."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # position in the chain
    id: Mapped[str] = mapped_column(ID, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    approved_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(48))  # sign_in, refund, void_line, …
    entity_type: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(ID)
    details: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
