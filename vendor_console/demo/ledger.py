"""The demo's stock ledger and business calendar, shared by the sales and order generators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local_db.types import format_utc
from vendor_console.ids import new_id

# Opening hours by weekday (Monday = 0; closed on Mondays), shop-local time.
HOURS: dict[int, tuple[time, time]] = {
    1: (time(8, 0), time(17, 0)), 2: (time(8, 0), time(17, 0)), 3: (time(8, 0), time(17, 0)),
    4: (time(8, 0), time(17, 30)), 5: (time(8, 30), time(17, 0)), 6: (time(9, 0), time(15, 0)),
}
# Relative weight of each opening hour (local clock hour -> weight): a breakfast rush,
# a lunch bump, a quiet late afternoon.
HOUR_WEIGHTS = {8: 3.0, 9: 3.2, 10: 2.2, 11: 1.8, 12: 2.6, 13: 2.4, 14: 1.4, 15: 1.2, 16: 0.9,
                17: 0.5}


@dataclass(frozen=True, slots=True)
class BusinessDay:
    local_date: date
    opens: datetime  # UTC
    closes: datetime  # UTC

    @property
    def weekday(self) -> int:
        return self.local_date.weekday()


def business_days(today: date, days: int, tz: ZoneInfo) -> list[BusinessDay]:
    """The trading days among the ``days`` calendar days before ``today`` (shop-local)."""
    result = []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        hours = HOURS.get(day.weekday())
        if hours is None:
            continue
        opens = datetime.combine(day, hours[0], tz).astimezone(ZoneInfo("UTC"))
        closes = datetime.combine(day, hours[1], tz).astimezone(ZoneInfo("UTC"))
        result.append(BusinessDay(day, opens, closes))
    return result


@dataclass
class Ledger:
    """Stock movements as rows plus the running level they add up to, per variant."""

    location_id: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def move(
        self, variant_id: str, delta: int, reason: str, at: datetime, *,
        staff_id: str | None = None, reference: tuple[str, str] | None = None,
        note: str | None = None,
    ) -> None:
        self.levels[variant_id] += delta
        self.rows.append({
            "id": new_id(), "variant_id": variant_id, "location_id": self.location_id,
            "kind": "ADJUSTMENT", "delta": delta, "quantity": None, "expected_on_hand": None,
            "reason": reason, "note": note,
            "reference_type": reference[0] if reference else None,
            "reference_id": reference[1] if reference else None,
            "staff_id": staff_id, "occurred_at": format_utc(at),
            # History is already synced: the marketplace acknowledged each movement.
            "acknowledged_at": format_utc(at + timedelta(seconds=20)),
        })

    def level_rows(self) -> list[dict[str, Any]]:
        return [
            {"variant_id": vid, "location_id": self.location_id, "on_hand": on_hand,
             "server_on_hand": on_hand, "server_version": 1}
            for vid, on_hand in self.levels.items()
        ]
