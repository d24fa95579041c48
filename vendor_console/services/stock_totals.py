"""Setting a variant's shop-wide stock from one typed number, as a count (never "set on_hand").

The catalog table shows stock summed over every location; typing a new total there records a
PHYSICAL_COUNT at the default location for the part of the total that is kept there.
"""

from __future__ import annotations

from sqlalchemy import func, select

from local_db.database import Database
from local_db.tables import locations, stock_levels
from vendor_console.errors import InvalidQuantity
from vendor_console.permissions import Actor
from vendor_console.services.inventory import InventoryService, StockChange


def set_total(db: Database, actor: Actor, variant_id: str, total: int) -> StockChange:
    """Count the default location so that the variant's total on hand becomes ``total``."""
    with db.read() as conn:
        elsewhere = conn.execute(
            select(func.coalesce(func.sum(stock_levels.c.on_hand), 0))
            .join(locations, locations.c.id == stock_levels.c.location_id)
            .where(stock_levels.c.variant_id == variant_id, locations.c.is_default.is_(False))
        ).scalar_one()
    counted = total - int(elsewhere)
    if counted < 0:
        raise InvalidQuantity("Other locations hold more than that; count them on the "
                              "Inventory page.", field="quantity")
    return InventoryService(db).count(actor, variant_id, counted, note="catalog quick edit")
