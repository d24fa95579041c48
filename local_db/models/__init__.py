"""All tables. Importing this package registers every model on ``Base.metadata``."""

from local_db.models.analytics import (  # noqa: F401
    AnalyticsDaily,
    AnalyticsHourly,
    AnalyticsOrdersDaily,
    AnalyticsProductDaily,
    AnalyticsProductMonthly,
    AnalyticsTimeZone,
)
from local_db.models.audit import AuditEntry
from local_db.models.base import Base
from local_db.models.catalog import Category, Product, ProductImage, Variant
from local_db.models.counts import CountLine, CountSession  # noqa: F401 (registers them)
from local_db.models.orders import Order, OrderLine, OrderStatusHistory
from local_db.models.parked import ParkedSale
from local_db.models.printing import Printer, PrintJob
from local_db.models.sales import CashMovement, Sale, SaleLine, SaleTax, SaleTender, Shift
from local_db.models.shop import Counter, Location, Setting, Shop, TaxRate
from local_db.models.staff import Role, Staff
from local_db.models.stock import StockLevel, StockMovement
from local_db.models.store import Review, StoreState
from local_db.models.sync import OutboxEntry, SyncCursor
from local_db.models.sync_state import SyncBase, SyncIssue

__all__ = [
    "AuditEntry", "Base", "CashMovement", "Category", "Counter", "Location", "Order",
    "OrderLine", "OrderStatusHistory", "OutboxEntry", "ParkedSale", "PrintJob", "Printer",
    "Product", "ProductImage", "Review", "Role",
    "Sale", "SaleLine", "SaleTax", "SaleTender", "Setting", "Shift", "Shop", "Staff",
    "StockLevel", "StockMovement", "StoreState", "SyncBase", "SyncCursor", "SyncIssue",
    "TaxRate", "Variant",
]
