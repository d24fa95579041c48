"""Staff members and their roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base, Timestamps
from local_db.types import JSONText, UTCDateTime


class Role(Base, Timestamps):
    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)  # cashier, manager, owner
    name: Mapped[str] = mapped_column(String(100))
    permissions: Mapped[list[str]] = mapped_column(JSONText, default=list)
    discount_limit_bp: Mapped[int] = mapped_column(Integer, default=0)  # max discount w/o approval


class Staff(Base, Timestamps):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role_code: Mapped[str] = mapped_column(String(32), ForeignKey("roles.code"))
    pin_hash: Mapped[str] = mapped_column(String(200))  # Argon2id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
