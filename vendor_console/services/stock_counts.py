"""Stock count sessions: count by scanning or typing, review the variances, apply as counts.

A session belongs to one location. Scanning a code adds one unit to that variant's line;
typing a quantity replaces it. The review shows, per line, what the ledger expects now beside
what was counted. Applying writes one PHYSICAL_COUNT per line through ``stock_ledger.record``
(the expected value is the on-hand it replaces), references the session, and closes it; all in
one transaction, so a session is applied once or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from local_db.database import Database
from local_db.tables import count_lines, count_sessions, products, stock_levels, variants
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.barcodes import gtin_equivalents, normalize_barcode
from vendor_console.errors import InvalidBarcode, InvalidQuantity, NotFound, ValidationError
from vendor_console.ids import new_id
from vendor_console.permissions import Actor, Permission, require
from vendor_console.quantities import QTY_SCALE
from vendor_console.services import audit, stock_ledger
from vendor_console.services.inventory import _location


@dataclass(frozen=True, slots=True)
class CountSessionRecord:
    id: str
    name: str
    location_id: str
    status: str
    started_at: datetime
    lines: int


@dataclass(frozen=True, slots=True)
class CountLineRecord:
    variant_id: str
    name: str
    sku: str | None
    barcode: str | None
    unit: str
    precision: int
    counted: int  # scaled
    expected: int  # the ledger's on-hand at the session's location, now

    @property
    def variance(self) -> int:
        return self.counted - self.expected


class StockCountService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, actor: Actor, name: str = "", location_id: str | None = None
              ) -> CountSessionRecord:
        require(actor, Permission.ADJUST_STOCK)
        label = " ".join(name.split())[:100]

        def write(tx: Tx) -> str:
            where = _location(tx.conn, location_id)
            session_id = new_id()
            now = utc_now()
            tx.conn.execute(insert(count_sessions), {
                "id": session_id, "name": label or f"Count {now:%Y-%m-%d %H:%M}",
                "location_id": where, "status": "OPEN", "started_by": actor.staff_id,
                "started_at": now, "finished_at": None})
            tx.changed("count_session", session_id)
            return session_id

        return self.session(self._db.write(write))

    def session(self, session_id: str) -> CountSessionRecord:
        with self._db.read() as conn:
            return _session(conn, session_id)

    def open_sessions(self) -> list[CountSessionRecord]:
        with self._db.read() as conn:
            ids = conn.execute(select(count_sessions.c.id)
                               .where(count_sessions.c.status == "OPEN")
                               .order_by(count_sessions.c.started_at.desc())).scalars().all()
            return [_session(conn, i) for i in ids]

    def scan(self, actor: Actor, session_id: str, code: str) -> CountLineRecord:
        """One more unit of the variant with this barcode or SKU."""
        require(actor, Permission.ADJUST_STOCK)
        text = "".join(code.split())
        if not text:
            raise InvalidBarcode("Scan or type a barcode or SKU.", field="code")

        def write(tx: Tx) -> str:
            _open(tx.conn, session_id)
            variant_id = _find_variant(tx.conn, text)
            _add(tx, session_id, variant_id, QTY_SCALE, replace=False)
            return variant_id

        return self._line(session_id, self._db.write(write))

    def set_counted(self, actor: Actor, session_id: str, variant_id: str, counted: int
                    ) -> CountLineRecord:
        """The typed total for a variant (replaces what was scanned)."""
        require(actor, Permission.ADJUST_STOCK)
        if counted < 0:
            raise InvalidQuantity("A counted quantity cannot be negative.", field="quantity")

        def write(tx: Tx) -> None:
            _open(tx.conn, session_id)
            precision = tx.conn.execute(select(variants.c.precision)
                                        .where(variants.c.id == variant_id)).scalar()
            if precision is None:
                raise NotFound("That product variant is not in the catalog.")
            if counted % (QTY_SCALE // 10**precision):
                raise InvalidQuantity("That quantity has more decimals than the product is "
                                      "counted in.", field="quantity")
            _add(tx, session_id, variant_id, counted, replace=True)

        self._db.write(write)
        return self._line(session_id, variant_id)

    def remove_line(self, actor: Actor, session_id: str, variant_id: str) -> None:
        require(actor, Permission.ADJUST_STOCK)

        def write(tx: Tx) -> None:
            _open(tx.conn, session_id)
            tx.conn.execute(delete(count_lines).where(count_lines.c.session_id == session_id,
                                                      count_lines.c.variant_id == variant_id))
            tx.changed("count_session", session_id)

        self._db.write(write)

    def review(self, session_id: str) -> list[CountLineRecord]:
        """Every line with the on-hand the ledger expects now; largest variance first."""
        with self._db.read() as conn:
            lines = _lines(conn, session_id)
        return sorted(lines, key=lambda line: (-abs(line.variance), line.name))

    def apply(self, actor: Actor, session_id: str) -> list[str]:
        """Write every line as a PHYSICAL_COUNT (with its expected value) and close the session.
        Returns the movement ids."""
        approved = require(actor, Permission.ADJUST_STOCK)

        def write(tx: Tx) -> list[str]:
            session = _open(tx.conn, session_id)
            lines = _lines(tx.conn, session_id)
            if not lines:
                raise ValidationError("Nothing has been counted in this session yet.",
                                      field="lines")
            movements = [
                stock_ledger.Movement(line.variant_id, session.location_id, "count",
                                      counted=line.counted, reference_type="count_session",
                                      reference_id=session_id)
                for line in lines
            ]
            ids = stock_ledger.record(tx, movements, staff_id=actor.staff_id)
            tx.conn.execute(update(count_sessions).where(count_sessions.c.id == session_id)
                            .values(status="APPLIED", finished_at=utc_now()))
            audit.append(tx, "stock_count_applied", staff_id=actor.staff_id,
                         approved_by=approved.staff_id if approved else None,
                         entity_type="count_session", entity_id=session_id,
                         details={"lines": len(lines),
                                  "variance": sum(abs(line.variance) for line in lines)})
            tx.changed("count_session", session_id)
            return ids

        return self._db.write(write)

    def cancel(self, actor: Actor, session_id: str) -> None:
        require(actor, Permission.ADJUST_STOCK)

        def write(tx: Tx) -> None:
            _open(tx.conn, session_id)
            tx.conn.execute(update(count_sessions).where(count_sessions.c.id == session_id)
                            .values(status="CANCELLED", finished_at=utc_now()))
            tx.changed("count_session", session_id)

        self._db.write(write)

    def _line(self, session_id: str, variant_id: str) -> CountLineRecord:
        with self._db.read() as conn:
            return next(line for line in _lines(conn, session_id, variant_id))


def _session(conn: Connection, session_id: str) -> CountSessionRecord:
    row = conn.execute(select(count_sessions).where(count_sessions.c.id == session_id)).first()
    if row is None:
        raise NotFound("That stock count no longer exists.")
    n = conn.execute(select(count_lines.c.variant_id)
                     .where(count_lines.c.session_id == session_id)).all()
    return CountSessionRecord(row.id, row.name, row.location_id, row.status, row.started_at,
                              len(n))


def _open(conn: Connection, session_id: str) -> CountSessionRecord:
    session = _session(conn, session_id)
    if session.status != "OPEN":
        raise ValidationError(f"The count “{session.name}” was already "
                              f"{session.status.lower()}; start a new one.", field="session")
    return session


def _find_variant(conn: Connection, text: str) -> str:
    live = (variants.c.archived_at.is_(None), products.c.archived_at.is_(None),
            variants.c.track_inventory)
    base = select(variants.c.id).join(products, products.c.id == variants.c.product_id)
    try:
        codes = gtin_equivalents(normalize_barcode(text))
    except InvalidBarcode:
        codes = ()
    for code in codes:
        found = conn.execute(base.where(variants.c.barcode == code, *live)).scalar()
        if found is not None:
            return str(found)
    found = conn.execute(base.where(variants.c.sku.in_([text, text.upper()]), *live)).scalar()
    if found is None:
        raise NotFound(f"No stocked product has the barcode or SKU “{text}”.")
    return str(found)


def _add(tx: Tx, session_id: str, variant_id: str, quantity: int, *, replace: bool) -> None:
    stmt = sqlite_insert(count_lines).values(session_id=session_id, variant_id=variant_id,
                                             counted=quantity, counted_at=utc_now())
    counted = stmt.excluded.counted if replace else count_lines.c.counted + stmt.excluded.counted
    tx.conn.execute(stmt.on_conflict_do_update(
        index_elements=["session_id", "variant_id"],
        set_={"counted": counted, "counted_at": stmt.excluded.counted_at}))
    tx.changed("count_session", session_id)


def _lines(conn: Connection, session_id: str, variant_id: str | None = None
           ) -> list[CountLineRecord]:
    session = conn.execute(select(count_sessions.c.location_id)
                           .where(count_sessions.c.id == session_id)).scalar()
    if session is None:
        raise NotFound("That stock count no longer exists.")
    level = (select(stock_levels.c.on_hand)
             .where(stock_levels.c.variant_id == variants.c.id,
                    stock_levels.c.location_id == session).scalar_subquery())
    query = (select(variants.c.id, products.c.name, variants.c.name, variants.c.sku,
                    variants.c.barcode, variants.c.unit, variants.c.precision,
                    count_lines.c.counted, level)
             .join(variants, variants.c.id == count_lines.c.variant_id)
             .join(products, products.c.id == variants.c.product_id)
             .where(count_lines.c.session_id == session_id))
    if variant_id is not None:
        query = query.where(count_lines.c.variant_id == variant_id)
    return [
        CountLineRecord(vid, f"{pname} – {vname}" if vname else pname, sku, barcode, unit,
                        precision, counted, int(expected or 0))
        for vid, pname, vname, sku, barcode, unit, precision, counted, expected
        in conn.execute(query)
    ]
