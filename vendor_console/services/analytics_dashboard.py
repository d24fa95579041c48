"""Everything the Analytics page shows for one range, read in one go (run it on a worker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from local_db.database import Database
from local_db.rollups import capture_timezone, captured_zone, rebuild
from local_db.writer import Tx
from vendor_console.errors import ValidationError
from vendor_console.services.analytics import Funnel, funnel, products
from vendor_console.services.analytics_range import DateRange, Period
from vendor_console.services.analytics_report import ReportTable, report
from vendor_console.services.analytics_stock import LowStock, SellThrough, low_stock, sell_through
from vendor_console.services.analytics_trend import TrendScore, trend_scores
from vendor_console.services.shop import ShopInfo, get_shop


@dataclass(frozen=True, slots=True)
class Dashboard:
    range: DateRange
    period: Period
    shop_name: str
    currency: str
    locale: str
    timezone: str
    over_time: ReportTable
    channels: ReportTable
    products: ReportTable
    categories: ReportTable
    heatmap: ReportTable
    funnel: Funnel
    low_stock: tuple[LowStock, ...]
    sell_through: tuple[SellThrough, ...]
    trends: tuple[TrendScore, ...]


def _shop(info: ShopInfo | None) -> ShopInfo:
    if info is None:
        raise ValidationError("This till has no shop yet: there is nothing to report.")
    return info


def shop_today(db: Database) -> date:
    """Today's business day in the shop's time zone."""
    with db.read() as conn:
        info = _shop(get_shop(conn))
    return datetime.now(ZoneInfo(info.timezone)).date()


def sales_report(db: Database, rng: DateRange, by: str) -> ReportTable:
    with db.read() as conn:
        info = _shop(get_shop(conn))
        return report(conn, rng, by, timezone=info.timezone, currency=info.currency)


def load_dashboard(db: Database, rng: DateRange, period: Period) -> Dashboard:
    """One read snapshot: the figures cannot disagree with each other."""
    with db.read() as conn, conn.begin():
        info = _shop(get_shop(conn))

        figures = products(conn, rng)  # read once: products, categories, sell-through

        def table(by: str) -> ReportTable:
            return report(conn, rng, by, timezone=info.timezone, currency=info.currency,
                          products=figures)

        return Dashboard(
            rng, period, info.name, info.currency, info.locale, info.timezone,
            table(period), table("channel"), table("product"), table("category"),
            table("hour"), funnel(conn, rng), tuple(low_stock(conn)),
            tuple(sell_through(conn, rng, figures=figures)), tuple(trend_scores(conn, rng)),
        )


def rebuild_rollups(db: Database) -> str:
    """Recompute all rollups (in the shop's current time zone); returns that zone."""
    def write(tx: Tx) -> str:
        info = _shop(get_shop(tx.conn))
        if captured_zone(tx.conn) == info.timezone:
            rebuild(tx.conn)
        else:
            capture_timezone(tx.conn, info.timezone)
        tx.changed("analytics")
        return info.timezone

    return db.write(write)


class AnalyticsService:
    """What the Analytics page asks of the core (the page never touches the database)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def today(self) -> date:
        return shop_today(self._db)

    def dashboard(self, rng: DateRange, period: Period) -> Dashboard:
        return load_dashboard(self._db, rng, period)
