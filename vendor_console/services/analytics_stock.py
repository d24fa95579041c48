"""Low stock (now) and sell-through (over a range): the ledger's levels beside the rollups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from local_db.rawsql import fetch_all
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.analytics import ProductFigures, products
from vendor_console.services.analytics_range import DateRange

DEFAULT_LOW_STOCK = 5 * QTY_SCALE  # for variants without their own threshold


@dataclass(frozen=True, slots=True)
class LowStock:
    variant_id: str
    name: str
    sku: str | None
    on_hand: int  # scaled
    threshold: int  # scaled


@dataclass(frozen=True, slots=True)
class SellThrough:
    product_id: str
    name: str
    sold: int  # net units over the range (scaled)
    on_hand: int  # now (scaled)

    @property
    def rate(self) -> float:
        """Share of the available units (sold + still on hand) that sold, 0-1."""
        available = self.sold + max(self.on_hand, 0)
        return 0.0 if available <= 0 else max(self.sold, 0) / available


def low_stock(conn: Connection, *, limit: int = 50) -> list[LowStock]:
    """Tracked, live variants at or under their threshold, emptiest first."""
    rows = fetch_all(conn,
        "SELECT v.id, CASE WHEN v.name = '' THEN p.name ELSE p.name || ' — ' || v.name END,"
        " v.sku, sum(l.on_hand) AS on_hand, coalesce(v.low_stock_threshold, ?) AS threshold"
        " FROM stock_levels l JOIN variants v ON v.id = l.variant_id"
        " JOIN products p ON p.id = v.product_id"
        " WHERE v.track_inventory = 1 AND v.archived_at IS NULL AND p.archived_at IS NULL"
        " GROUP BY v.id HAVING sum(l.on_hand) <= coalesce(v.low_stock_threshold, ?)"
        " ORDER BY on_hand, 2 LIMIT ?", (DEFAULT_LOW_STOCK, DEFAULT_LOW_STOCK, limit))
    return [LowStock(str(i), str(n), s, int(q), int(t)) for i, n, s, q, t in rows]


def sell_through(conn: Connection, rng: DateRange, *, limit: int = 50,
                 figures: list[ProductFigures] | None = None) -> list[SellThrough]:
    """Stocked products that sold in the range, highest sell-through first. ``figures``: the
    range's product figures, if the caller has them already."""
    figures = products(conn, rng) if figures is None else figures
    sold = {p.product_id: p for p in figures if p.product_id and p.quantity > 0}
    if not sold:
        return []
    levels = {str(pid): int(on_hand) for pid, on_hand in fetch_all(conn,
        "SELECT v.product_id, sum(l.on_hand) FROM stock_levels l JOIN variants v"
        " ON v.id = l.variant_id WHERE v.track_inventory = 1 GROUP BY v.product_id")
        if pid in sold}
    result = [SellThrough(pid, sold[pid].name, sold[pid].quantity, on_hand)
              for pid, on_hand in levels.items()]
    result.sort(key=lambda r: (-r.rate, r.name))
    return result[:limit]
