"""Stock count sessions: what was counted, line by line, before it is applied as counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import UTCDateTime


class CountSession(Base):
    """A stock count at one location. OPEN while counting; APPLIED writes PHYSICAL_COUNTs."""

    __tablename__ = "count_sessions"
    __table_args__ = (
        CheckConstraint("status IN ('OPEN','APPLIED','CANCELLED')", name="status"),
        Index("ix_count_sessions_status", "status", "started_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    location_id: Mapped[str] = mapped_column(ID, ForeignKey("locations.id"))
    status: Mapped[str] = mapped_column(String(16), default="OPEN")
    started_by: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CountLine(Base):
    """One variant's counted quantity (scaled) in a session; scanning again adds to it."""

    __tablename__ = "count_lines"

    session_id: Mapped[str] = mapped_column(ID, ForeignKey("count_sessions.id"),
                                            primary_key=True)
    variant_id: Mapped[str] = mapped_column(ID, ForeignKey("variants.id"), primary_key=True)
    counted: Mapped[int] = mapped_column(Integer)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
