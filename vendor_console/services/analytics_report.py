"""The analytics figures as tables: ``vendor-console report sales`` prints them, and the
Analytics page draws its charts from the very same tables (and exports them as CSV).

Money is in minor units in :class:`ReportTable` rows and written in major units with the
currency's decimals ("12.50") in CSV/JSON; quantities likewise ("1.5" units).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import Connection

from vendor_console.errors import ValidationError
from vendor_console.money import to_decimal
from vendor_console.quantities import QTY_SCALE
from vendor_console.services import analytics
from vendor_console.services.analytics_range import DateRange

By = Literal["day", "week", "month", "category", "product", "channel", "hour"]
BY_CHOICES: tuple[By, ...] = get_args(By)
Format = Literal["csv", "json"]
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Kind = Literal["text", "int", "money", "quantity"]


@dataclass(frozen=True, slots=True)
class ReportTable:
    by: By
    range: DateRange
    timezone: str
    currency: str
    columns: tuple[tuple[str, Kind], ...]
    rows: tuple[tuple[Any, ...], ...]

    def column(self, name: str) -> list[Any]:
        index = [c for c, _ in self.columns].index(name)
        return [row[index] for row in self.rows]

    def shown(self) -> list[dict[str, Any]]:
        """Rows as the terminal shows them: money and quantities as decimal text."""
        return [{name: _show(value, kind, self.currency)
                 for (name, kind), value in zip(self.columns, row, strict=True)}
                for row in self.rows]


def _show(value: Any, kind: Kind, currency: str) -> Any:
    if kind == "money":
        return str(to_decimal(int(value), currency))
    if kind == "quantity":
        text = str(Decimal(int(value)) / QTY_SCALE)
        return text.rstrip("0").rstrip(".") if "." in text else text
    return value


_TIME: tuple[tuple[str, Kind], ...] = (
    ("period", "text"), ("channel", "text"), ("sales", "int"), ("gross", "money"),
    ("refunds", "int"), ("refunded", "money"), ("net", "money"))


def report(conn: Connection, rng: DateRange, by: str, *, timezone: str, currency: str,
           products: list[analytics.ProductFigures] | None = None) -> ReportTable:
    """The figures of ``rng`` grouped ``by`` one of :data:`BY_CHOICES`. ``products``: the
    range's product figures if the caller has them already (by product and category)."""
    if by not in BY_CHOICES:
        raise ValidationError(f"Cannot group by {by!r}; choose one of {', '.join(BY_CHOICES)}.",
                              field="by")
    columns: tuple[tuple[str, Kind], ...]
    rows: list[tuple[Any, ...]]
    if by in ("day", "week", "month"):
        columns = _TIME
        rows = [(p.period.isoformat(), p.channel, p.figures.sales_count, p.figures.sales_total,
                 p.figures.refund_count, p.figures.refund_total, p.figures.net_total)
                for p in analytics.sales_over_time(conn, rng, by)]
    elif by == "channel":
        columns = (("channel", "text"), ("sales", "int"), ("gross", "money"),
                   ("refunds", "int"), ("refunded", "money"), ("net", "money"),
                   ("average_basket", "money"), ("voids", "int"), ("voided", "money"))
        rows = [(name, f.sales_count, f.sales_total, f.refund_count, f.refund_total,
                 f.net_total, f.average_basket, f.void_count, f.void_total)
                for name, f in analytics.by_channel(conn, rng).items()]
    elif by == "product":
        columns = (("product", "text"), ("category", "text"), ("quantity", "quantity"),
                   ("net", "money"), ("refunded_quantity", "quantity"), ("refunded", "money"),
                   ("product_id", "text"))
        rows = [(p.name, p.category, p.quantity, p.net_total, p.refund_quantity,
                 p.refund_total, p.product_id)
                for p in (analytics.products(conn, rng) if products is None else products)]
    elif by == "category":
        columns = (("category", "text"), ("quantity", "quantity"), ("net", "money"),
                   ("refunded", "money"))
        figures = analytics.products(conn, rng) if products is None else products
        rows = [(c.category, c.quantity, c.net_total, c.refund_total)
                for c in analytics.categories_of(figures)]
    else:
        columns = (("weekday", "text"), ("hour", "int"), ("sales", "int"), ("net", "money"))
        rows = [(WEEKDAYS[c.weekday], c.hour, c.sales_count, c.net_total)
                for c in analytics.heatmap(conn, rng)]
    return ReportTable(by, rng, timezone, currency, columns, tuple(rows))


def to_csv(table: ReportTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in table.columns])
    for row in table.shown():
        writer.writerow(row.values())
    return out.getvalue()


def to_json(table: ReportTable) -> str:
    return json.dumps({
        "from": table.range.start.isoformat(), "to": table.range.end.isoformat(),
        "by": table.by, "timezone": table.timezone, "currency": table.currency,
        "rows": table.shown(),
    }, indent=2, ensure_ascii=False) + "\n"


def render(table: ReportTable, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "json":
        return to_json(table)
    raise ValidationError(f"Unknown format {fmt!r}; choose csv or json.", field="format")


def default_range(today: date, days: int = 28) -> DateRange:
    from datetime import timedelta

    return DateRange(today - timedelta(days=days - 1), today)
