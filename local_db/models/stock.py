"""Stock: the movement ledger and the per variant x location level it adds up to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base
from local_db.types import UTCDateTime


class StockMovement(Base):
    """One change of stock. Quantities are integers scaled by QTY_SCALE (1000).

    ``delta`` is what the movement adds to on-hand. A PHYSICAL_COUNT also keeps the counted
    ``quantity`` and the ``expected_on_hand`` the counter saw; its delta is their difference.
    """

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('ADJUSTMENT','PHYSICAL_COUNT')", name="kind"),
        Index("ix_stock_movements_variant", "variant_id", "location_id", "occurred_at"),
        Index("ix_stock_movements_unacked", "acknowledged_at", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)  # also the client_change_id
    variant_id: Mapped[str] = mapped_column(ID, ForeignKey("variants.id"))
    location_id: Mapped[str] = mapped_column(ID, ForeignKey("locations.id"))
    kind: Mapped[str] = mapped_column(String(16), default="ADJUSTMENT")
    delta: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int | None] = mapped_column(Integer)  # counted quantity (counts only)
    expected_on_hand: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))  # sold_pos, returned, received, count, …
    note: Mapped[str | None] = mapped_column(Text)
    reference_type: Mapped[str | None] = mapped_column(String(32))  # sale, order, count_session
    reference_id: Mapped[str | None] = mapped_column(ID)
    staff_id: Mapped[str | None] = mapped_column(ID, ForeignKey("staff.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the marketplace


class StockLevel(Base):
    """On-hand per variant and location: the sum of the ledger, kept in the same transaction.

    ``server_on_hand``/``server_version`` are the marketplace's last known level (sync).
    """

    __tablename__ = "stock_levels"

    variant_id: Mapped[str] = mapped_column(ID, ForeignKey("variants.id"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ID, ForeignKey("locations.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    server_on_hand: Mapped[int | None] = mapped_column(Integer)
    server_version: Mapped[int | None] = mapped_column(Integer)
