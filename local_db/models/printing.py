"""Receipt printers set up on this till, and their persisted print jobs (one queue per printer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base, Timestamps
from local_db.types import JSONText, UTCDateTime


class Printer(Base, Timestamps):
    """A configured printer: ``profile`` is a ``devices.profile.PrinterProfile`` as JSON."""

    __tablename__ = "printers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(300))  # tcp://…, serial://…, usblp://…, winspool://…
    profile: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)
    is_default: Mapped[bool] = mapped_column(default=False)


class PrintJob(Base, Timestamps):
    """One print job. ``status``: pending (waiting; nothing printed yet, safe to send),
    printed (the printer confirmed it with GS r 1), sent (handed to a one-way spooler),
    unknown (bytes went out but no confirmation came: the cashier decides), cancelled."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_queue", "printer_id", "status", "seq"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # queue order, never reused
    printer_id: Mapped[str] = mapped_column(ID, ForeignKey("printers.id"))
    kind: Mapped[str] = mapped_column(String(16))  # receipt, test, code_page_test
    sale_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sales.id"))
    reprint_of: Mapped[str | None] = mapped_column(ID)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
