"""Stock on hand: adjust, receive and count, read levels and history, list low stock.

Every change is a movement through ``stock_ledger.record`` (ledger row, level and outbox
message in one transaction): adjustments are deltas with a reason, counts are PHYSICAL_COUNT
with the expected value the counter saw. Quantities are scaled integers (``QTY_SCALE``) and
must fit the variant's precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from local_db.database import Database
from local_db.tables import locations, products, staff, stock_levels, stock_movements, variants
from local_db.writer import Tx
from vendor_console.errors import InvalidQuantity, NotFound, ValidationError
from vendor_console.permissions import Actor, Permission, require
from vendor_console.quantities import QTY_SCALE, format_quantity
from vendor_console.services import audit, stock_ledger

INCREASES = frozenset({"received", "produced", "restock", "returned"})
DECREASES = frozenset({"damaged", "expired", "shrinkage", "promotion"})
EITHER_WAY = frozenset({"correction", "other"})
ADJUST_REASONS = INCREASES | DECREASES | EITHER_WAY


@dataclass(frozen=True, slots=True)
class StockChange:
    movement_id: str
    variant_id: str
    location_id: str
    on_hand: int  # after the change, at that location


@dataclass(frozen=True, slots=True)
class MovementRecord:
    id: str
    variant_id: str
    location_id: str
    kind: str  # ADJUSTMENT or PHYSICAL_COUNT
    delta: int
    counted: int | None
    expected_on_hand: int | None
    reason: str
    note: str | None
    reference_type: str | None
    reference_id: str | None
    staff_name: str | None
    occurred_at: datetime
    acknowledged: bool  # the marketplace has confirmed it


@dataclass(frozen=True, slots=True)
class StockCheck:
    on_hand: int
    ledger_sum: int

    @property
    def ok(self) -> bool:
        return self.on_hand == self.ledger_sum


@dataclass(frozen=True, slots=True)
class LowStockItem:
    variant_id: str
    product_id: str
    name: str
    sku: str | None
    unit: str
    precision: int
    on_hand: int
    threshold: int


@dataclass(frozen=True, slots=True)
class _Variant:
    label: str
    unit: str
    precision: int


class InventoryService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- changes ---------------------------------------------------------------------------
    def adjust(
        self, actor: Actor, variant_id: str, delta: int, reason: str, *,
        note: str | None = None, location_id: str | None = None, approver: Actor | None = None,
    ) -> StockChange:
        """Add ``delta`` (scaled, nonzero; negative removes stock) for ``reason``."""
        approved = require(actor, Permission.ADJUST_STOCK, approver)
        if reason not in ADJUST_REASONS:
            raise ValidationError(f"“{reason}” is not a reason for a stock change.",
                                  field="reason")
        if delta == 0:
            raise InvalidQuantity("The change must not be zero.", field="quantity")
        if reason in INCREASES and delta < 0:
            raise InvalidQuantity(f"Stock {reason} must add to the stock.", field="quantity")
        if reason in DECREASES and delta > 0:
            raise InvalidQuantity(f"Stock marked {reason} must take away from the stock.",
                                  field="quantity")

        def write(tx: Tx) -> StockChange:
            variant = _stocked_variant(tx.conn, variant_id)
            _check_precision(delta, variant)
            where = _location(tx.conn, location_id)
            movement = stock_ledger.Movement(variant_id, where, reason, delta=delta,
                                             note=_note(note))
            return self._record(tx, actor, approved, movement)

        return self._db.write(write)

    def receive(
        self, actor: Actor, variant_id: str, quantity: int, note: str | None = None, *,
        location_id: str | None = None, approver: Actor | None = None,
    ) -> StockChange:
        if quantity <= 0:
            raise InvalidQuantity("The quantity received must be more than zero.",
                                  field="quantity")
        return self.adjust(actor, variant_id, quantity, "received", note=note,
                           location_id=location_id, approver=approver)

    def count(
        self, actor: Actor, variant_id: str, counted: int, location_id: str | None = None, *,
        note: str | None = None, approver: Actor | None = None,
    ) -> StockChange:
        """Record a physical count; the ledger keeps the on-hand it replaced as expected."""
        approved = require(actor, Permission.ADJUST_STOCK, approver)
        if counted < 0:
            raise InvalidQuantity("A counted quantity cannot be negative.", field="quantity")

        def write(tx: Tx) -> StockChange:
            variant = _stocked_variant(tx.conn, variant_id)
            _check_precision(counted, variant)
            where = _location(tx.conn, location_id)
            movement = stock_ledger.Movement(variant_id, where, "count", counted=counted,
                                             note=_note(note))
            return self._record(tx, actor, approved, movement)

        return self._db.write(write)

    @staticmethod
    def _record(
        tx: Tx, actor: Actor, approved: Actor | None, movement: stock_ledger.Movement
    ) -> StockChange:
        (movement_id,) = stock_ledger.record(tx, [movement], staff_id=actor.staff_id)
        if approved is not None:
            audit.append(tx, "permission_override", staff_id=actor.staff_id,
                         approved_by=approved.staff_id, entity_type="stock_movement",
                         entity_id=movement_id,
                         details={"permission": Permission.ADJUST_STOCK.value,
                                  "reason": movement.reason})
        level = stock_ledger.on_hand(tx.conn, movement.variant_id, movement.location_id)
        return StockChange(movement_id, movement.variant_id, movement.location_id, level)

    # -- reading ---------------------------------------------------------------------------
    def on_hand(self, variant_id: str, location_id: str | None = None) -> int:
        """The level the ledger keeps, at ``location_id`` (default: the default location)."""
        with self._db.read() as conn:
            return stock_ledger.on_hand(conn, variant_id, _location(conn, location_id))

    def verify_on_hand(self, variant_id: str, location_id: str | None = None) -> StockCheck:
        """The kept level beside the sum of the ledger; they must always agree."""
        with self._db.read() as conn:
            where = _location(conn, location_id)
            return StockCheck(stock_ledger.on_hand(conn, variant_id, where),
                              stock_ledger.ledger_sum(conn, variant_id, where))

    def history(self, variant_id: str, limit: int = 100) -> list[MovementRecord]:
        """Movements of the variant at every location, newest first."""
        m = stock_movements
        query = (
            select(m.c.id, m.c.variant_id, m.c.location_id, m.c.kind, m.c.delta, m.c.quantity,
                   m.c.expected_on_hand, m.c.reason, m.c.note, m.c.reference_type,
                   m.c.reference_id, staff.c.name, m.c.occurred_at,
                   m.c.acknowledged_at.is_not(None))
            .outerjoin(staff, staff.c.id == m.c.staff_id)
            .where(m.c.variant_id == variant_id)
            .order_by(m.c.occurred_at.desc(), m.c.id.desc())
            .limit(limit)
        )
        with self._db.read() as conn:
            return [
                MovementRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                               r[11], r[12], bool(r[13]))
                for r in conn.execute(query)
            ]

    def low_stock(self, limit: int = 100) -> list[LowStockItem]:
        """Tracked variants at or below their low-stock level (all locations), emptiest first."""
        level = func.coalesce(
            select(func.sum(stock_levels.c.on_hand))
            .where(stock_levels.c.variant_id == variants.c.id).scalar_subquery(), 0,
        ).label("on_hand")
        query = (
            select(variants.c.id, products.c.id, products.c.name, variants.c.name,
                   variants.c.sku, variants.c.unit, variants.c.precision, level,
                   variants.c.low_stock_threshold)
            .join(products, products.c.id == variants.c.product_id)
            .where(variants.c.low_stock_threshold.is_not(None), variants.c.track_inventory,
                   variants.c.archived_at.is_(None), products.c.archived_at.is_(None),
                   level <= variants.c.low_stock_threshold)
            .order_by(level - variants.c.low_stock_threshold, products.c.name)
            .limit(limit)
        )
        with self._db.read() as conn:
            return [
                LowStockItem(vid, pid, f"{pname} – {vname}" if vname else pname, sku, unit,
                             precision, int(on_hand), threshold)
                for vid, pid, pname, vname, sku, unit, precision, on_hand, threshold
                in conn.execute(query)
            ]


def _stocked_variant(conn: Connection, variant_id: str) -> _Variant:
    row = conn.execute(
        select(products.c.name, variants.c.name, variants.c.unit, variants.c.precision,
               variants.c.track_inventory, variants.c.archived_at, products.c.archived_at)
        .join(products, products.c.id == variants.c.product_id)
        .where(variants.c.id == variant_id)
    ).first()
    if row is None:
        raise NotFound("That product variant is not in the catalog.")
    label = f"{row[0]} – {row[1]}" if row[1] else row[0]
    if row[5] is not None or row[6] is not None:
        raise NotFound(f"{label} was removed from the catalog; its stock cannot change.")
    if not row[4]:
        raise ValidationError(
            f"{label} does not track stock. Turn on stock tracking for it first.",
            field="track_inventory",
        )
    return _Variant(label, row[2], row[3])


def _check_precision(quantity: int, variant: _Variant) -> None:
    step = QTY_SCALE // 10**variant.precision
    if quantity % step:
        allowed = ("whole numbers" if variant.precision == 0
                   else f"up to {variant.precision} decimals")
        shown = format_quantity(quantity, 3).rstrip("0").rstrip(".")
        raise InvalidQuantity(
            f"{variant.label} is counted in {variant.unit} in {allowed}; {shown} is not allowed.",
            field="quantity",
        )


def _location(conn: Connection, location_id: str | None) -> str:
    live = locations.c.archived_at.is_(None)
    if location_id is None:
        found = conn.execute(select(locations.c.id).where(locations.c.is_default, live)).scalar()
        if found is None:
            raise NotFound("No default stock location is set up for this shop.")
        return str(found)
    if conn.execute(select(locations.c.id).where(locations.c.id == location_id, live)).first():
        return location_id
    raise NotFound("That stock location no longer exists.")


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None
