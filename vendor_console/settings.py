"""Settings declared once — key, type, default, label — and stored in the shop database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from local_db.database import Database
from local_db.tables import settings as settings_table
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import ValidationError
from vendor_console.tender_config import validate_setting as _valid_tenders

T = TypeVar("T", bool, int, str)


@dataclass(frozen=True, slots=True)
class SettingSpec(Generic[T]):
    key: str
    type: type[T]
    default: T
    label: str
    minimum: int | None = None
    choices: tuple[str, ...] | None = None
    normalize: Callable[[Any], Any] | None = None  # checks a value whole, returns it canonical

    def coerce(self, raw: Any) -> T:
        """Turn stored JSON or typed text (from the CLI) into a valid value, or refuse it."""
        value: Any = raw
        if self.type is bool and isinstance(raw, str):
            if raw.lower() not in {"true", "false", "yes", "no", "1", "0", "on", "off"}:
                raise ValidationError(f"{self.label}: expected yes or no, got “{raw}”.")
            value = raw.lower() in {"true", "yes", "1", "on"}
        elif self.type is int and isinstance(raw, str):
            try:
                value = int(raw)
            except ValueError as exc:
                raise ValidationError(f"{self.label}: “{raw}” is not a whole number.") from exc
        if type(value) is not self.type:
            raise ValidationError(f"{self.label}: expected {self.type.__name__}.")
        if self.minimum is not None and isinstance(value, int) and value < self.minimum:
            raise ValidationError(f"{self.label}: at least {self.minimum}.")
        if self.choices is not None and value not in self.choices:
            raise ValidationError(f"{self.label}: one of {', '.join(self.choices)}.")
        if self.normalize is not None:
            value = self.normalize(value)
        return value


REGISTRY: dict[str, SettingSpec[Any]] = {}


def declare(spec: SettingSpec[T]) -> SettingSpec[T]:
    if spec.key in REGISTRY:
        raise RuntimeError(f"setting {spec.key} declared twice")
    REGISTRY[spec.key] = spec
    return spec


THEME = declare(SettingSpec("ui.theme", str, "light", "Colour theme", choices=("light", "dark")))
IDLE_LOCK_SECONDS = declare(
    SettingSpec("counter.idle_lock_seconds", int, 300, "Lock the till after idle (seconds)",
                minimum=15)
)
MARKETPLACE_URL = declare(
    SettingSpec("sync.base_url", str, "", "Marketplace vendor API address (https://…/vendor/v1)")
)
TENDERS = declare(SettingSpec("counter.tenders", str, "[]", "Other tenders (JSON list)",
                              normalize=_valid_tenders))
SYNC_ENABLED = declare(SettingSpec("sync.enabled", bool, False, "Sync with the marketplace"))


class Settings:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, spec: SettingSpec[T]) -> T:
        with self._db.read() as conn:
            raw = conn.execute(
                select(settings_table.c.value).where(settings_table.c.key == spec.key)
            ).first()
        return spec.default if raw is None else spec.coerce(raw[0])

    @property
    def db(self) -> Database:
        return self._db

    def set(self, spec: SettingSpec[T], value: Any) -> T:
        checked = spec.coerce(value)
        self._db.write(lambda tx: store(tx, spec, checked))
        return checked

    def all(self) -> dict[str, Any]:
        return {key: self.get(spec) for key, spec in sorted(REGISTRY.items())}


def store(tx: Tx, spec: SettingSpec[T], value: Any) -> T:
    """Write one setting inside the caller's transaction (several settings saved together
    commit together or not at all)."""
    checked = spec.coerce(value)
    now = utc_now()
    stmt = sqlite_insert(settings_table).values(
        key=spec.key, value=checked, created_at=now, updated_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[settings_table.c.key], set_={"value": checked, "updated_at": now}
    )
    tx.conn.execute(stmt)
    tx.changed("settings", spec.key)
    return checked


def spec_for(key: str) -> SettingSpec[Any]:
    try:
        return REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise ValidationError(f"There is no setting “{key}”. Known settings: {known}.") from None


# Scanner and customer-display settings are declared beside the devices (registered here so
# `settings list` and `settings set` know them).
from vendor_console import order_ticket_settings as _order_ticket_settings  # noqa: E402, F401
from vendor_console.devices import device_settings as _device_settings  # noqa: E402, F401
