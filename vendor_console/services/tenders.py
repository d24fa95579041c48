"""The tenders the counter offers: cash and card, then the shop's own (``counter.tenders``).

Reading is open to everyone at the till; changing the list needs ``MANAGE_SETTINGS`` and is
audited in the same transaction as the new value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from local_db.database import Database
from local_db.tables import settings as settings_table
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit
from vendor_console.settings import TENDERS, Settings
from vendor_console.tender_config import (
    TenderOption,
    check_tenders,
    dump_tenders,
    parse_tenders,
)


class TenderService:
    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        self._db = db
        self._settings = settings or Settings(db)

    def options(self) -> tuple[TenderOption, ...]:
        """The shop's own tenders, in the order the payment dialog shows them."""
        return parse_tenders(self._settings.get(TENDERS))

    def save(self, actor: Actor, options: Sequence[TenderOption]) -> tuple[TenderOption, ...]:
        """Replace the list. Raises ``PermissionDenied`` or ``ValidationError`` (nothing saved)."""
        require(actor, Permission.MANAGE_SETTINGS)
        cleaned = check_tenders(options)
        text = dump_tenders(cleaned)
        now = utc_now()
        stmt = sqlite_insert(settings_table).values(
            key=TENDERS.key, value=text, created_at=now, updated_at=now)
        stmt = stmt.on_conflict_do_update(index_elements=[settings_table.c.key],
                                          set_={"value": text, "updated_at": now})

        def write(tx: Tx) -> None:
            tx.conn.execute(stmt)
            tx.changed("settings", TENDERS.key)
            details: dict[str, Any] = {"tenders": [o.kind for o in cleaned]}
            audit.append(tx, "tenders_changed", staff_id=actor.staff_id,
                         entity_type="settings", entity_id=TENDERS.key, details=details)

        self._db.write(write)
        return cleaned
