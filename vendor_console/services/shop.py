"""The shop row, its default location and tax rates: created once, read everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from sqlalchemy import Connection, insert, select

from local_db.database import Database
from local_db.rollups import capture_timezone
from local_db.tables import locations, shop, tax_rates
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import ValidationError
from vendor_console.ids import new_id
from vendor_console.services.staff import seed_default_roles
from vendor_console.timezones import system_zone


@dataclass(frozen=True, slots=True)
class TaxRateDraft:
    code: str
    name: str
    rate_bp: int


@dataclass(frozen=True, slots=True)
class ShopDraft:
    name: str
    currency: str
    locale: str = "en_IE"
    timezone: str = field(default_factory=system_zone)  # IANA; business days for analytics
    prices_include_tax: bool = True
    cash_rounding: int = 1
    location_name: str = "Shop"
    tax_rates: tuple[TaxRateDraft, ...] = field(default_factory=tuple)
    device_prefix: str = "A"


@dataclass(frozen=True, slots=True)
class ShopInfo:
    id: str
    name: str
    currency: str
    locale: str
    timezone: str
    prices_include_tax: bool
    cash_rounding: int
    device_prefix: str
    default_location_id: str
    tax_rate_ids: dict[str, str]  # code -> id


def _validate(draft: ShopDraft) -> None:
    if not draft.name.strip():
        raise ValidationError("The shop needs a name.", field="name")
    try:
        get_currency_name(draft.currency, locale="en")
        Locale.parse(draft.locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValidationError(f"Unknown currency or language: {exc}") from exc
    if len(draft.currency) != 3 or not draft.currency.isupper():
        raise ValidationError("The currency is a 3-letter ISO code such as EUR.", field="currency")
    if draft.cash_rounding < 1:
        raise ValidationError("Cash rounding is at least 1 minor unit.", field="cash_rounding")
    for rate in draft.tax_rates:
        if not 0 <= rate.rate_bp <= 10000:
            raise ValidationError(f"Tax rate {rate.name} must be between 0 and 100 %.")


def create_shop_tx(tx: Tx, draft: ShopDraft) -> None:
    _validate(draft)
    if tx.conn.execute(select(shop.c.id)).first() is not None:
        raise ValidationError("This till already belongs to a shop.")
    now = utc_now()
    stamps = {"created_at": now, "updated_at": now}
    tx.conn.execute(insert(shop), {
        "id": new_id(), "name": draft.name.strip(), "currency": draft.currency,
        "locale": draft.locale, "timezone": draft.timezone,
        "prices_include_tax": draft.prices_include_tax, "cash_rounding": draft.cash_rounding,
        "device_prefix": draft.device_prefix, **stamps,
    })
    tx.conn.execute(insert(locations), {
        "id": new_id(), "name": draft.location_name, "is_default": True, **stamps,
    })
    if draft.tax_rates:
        tx.conn.execute(insert(tax_rates), [
            {"id": new_id(), "code": r.code, "name": r.name, "rate_bp": r.rate_bp, **stamps}
            for r in draft.tax_rates
        ])
    seed_default_roles(tx)
    try:  # analytics buckets sales into the shop's business days
        capture_timezone(tx.conn, draft.timezone)
    except ValueError as exc:
        raise ValidationError(f"Unknown time zone {draft.timezone!r}.", field="timezone") from exc
    tx.changed("shop")


def create_shop(db: Database, draft: ShopDraft) -> ShopInfo:
    db.write(lambda tx: create_shop_tx(tx, draft))
    with db.read() as conn:
        info = get_shop(conn)
    assert info is not None
    return info


def get_shop(conn: Connection) -> ShopInfo | None:
    row = conn.execute(select(shop)).first()
    if row is None:
        return None
    location = conn.execute(
        select(locations.c.id).where(locations.c.is_default.is_(True)).limit(1)
    ).scalar()
    rates = {str(r.code): str(r.id) for r in conn.execute(select(tax_rates.c.code, tax_rates.c.id))}
    return ShopInfo(
        row.id, row.name, row.currency, row.locale, row.timezone, row.prices_include_tax,
        row.cash_rounding, row.device_prefix, str(location), rates,
    )
