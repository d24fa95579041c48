"""Date ranges for analytics: shop-local calendar days, bucketed by day, week or month."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from vendor_console.errors import ValidationError

Period = Literal["day", "week", "month"]
PERIODS: tuple[Period, ...] = get_args(Period)
MAX_DAYS = 366 * 20


@dataclass(frozen=True, slots=True)
class DateRange:
    """From ``start`` to ``end``, both included, as business days in the shop's time zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"The range ends ({self.end}) before it starts ({self.start}).", field="to")
        if (self.end - self.start).days > MAX_DAYS:
            raise ValidationError("Choose a range of at most 20 years.", field="from")

    @classmethod
    def parse(cls, start: str, end: str) -> DateRange:
        return cls(parse_day(start, "from"), parse_day(end, "to"))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def whole_months(self) -> tuple[str, str] | None:
        """First and last ``YYYY-MM`` lying completely inside the range, or None."""
        first = self.start if self.start.day == 1 else _next_month(self.start)
        after = _next_month(self.end) if _next_month(self.end) - timedelta(days=1) == self.end \
            else self.end.replace(day=1)
        last = after - timedelta(days=1)  # the last day of the last whole month
        if first > last:
            return None
        return first.strftime("%Y-%m"), last.strftime("%Y-%m")

    def edge_days(self) -> list[tuple[date, date]]:
        """The day spans not covered by :meth:`whole_months` (0, 1 or 2 spans)."""
        months = self.whole_months()
        if months is None:
            return [(self.start, self.end)]
        first = date.fromisoformat(months[0] + "-01")
        last = _next_month(date.fromisoformat(months[1] + "-01")) - timedelta(days=1)
        spans = []
        if self.start < first:
            spans.append((self.start, first - timedelta(days=1)))
        if last < self.end:
            spans.append((last + timedelta(days=1), self.end))
        return spans


Piece = tuple[int, Literal["month", "day"], str, str]  # (sign, rollup, first, last)


def rollup_plan(rng: DateRange) -> list[Piece]:
    """How to add up the range from the monthly and daily rollups with the fewest rows:
    whole months from the monthly one; a partial month from the daily one when it covers at
    most half the month, otherwise as the whole month minus the days outside the range."""
    pieces: list[Piece] = []
    months = rng.whole_months()
    if months is not None:
        pieces.append((1, "month", *months))
    for first, last in rng.edge_days():
        start = first.replace(day=1)
        end = _next_month(first) - timedelta(days=1)
        if 2 * ((last - first).days + 1) <= (end - start).days + 1:
            pieces.append((1, "day", first.isoformat(), last.isoformat()))
            continue
        pieces.append((1, "month", first.strftime("%Y-%m"), first.strftime("%Y-%m")))
        if first > start:
            pieces.append((-1, "day", start.isoformat(),
                           (first - timedelta(days=1)).isoformat()))
        if last < end:
            pieces.append((-1, "day", (last + timedelta(days=1)).isoformat(), end.isoformat()))
    return pieces


def parse_day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(f"{text!r} is not a date; write it as YYYY-MM-DD.",
                              field=field) from exc


def bucket(day: date, by: Period) -> date:
    """The first day of the period ``day`` falls in (weeks start on Monday)."""
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def buckets(rng: DateRange, by: Period) -> Iterator[date]:
    """Every period touching the range, in order."""
    current = bucket(rng.start, by)
    while current <= rng.end:
        yield current
        if by == "day":
            current += timedelta(days=1)
        elif by == "week":
            current += timedelta(days=7)
        else:
            current = _next_month(current)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
