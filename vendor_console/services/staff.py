"""Staff: Argon2-hashed PINs, sign-in with attempt limits, manager approval of one action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from local_db.database import Database
from local_db.tables import roles, staff
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.errors import AuthenticationFailed, NotFound, StaffLocked, ValidationError
from vendor_console.ids import new_id
from vendor_console.permissions import (
    DEFAULT_ROLES,
    Actor,
    Permission,
    require,
    scoped_approval,
)
from vendor_console.services import audit

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)
# Argon2id with moderate cost: a PIN check must feel instant at the counter (~20-40 ms here).
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@dataclass(frozen=True, slots=True)
class StaffRecord:
    id: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None


def hash_pin(pin: str) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError("A PIN is 4 to 8 digits.", field="pin")
    return _hasher.hash(pin)


def seed_default_roles(tx: Tx) -> None:
    existing = set(tx.conn.execute(select(roles.c.code)).scalars())
    now = utc_now()
    rows = [
        {"code": code, "name": name, "permissions": sorted(p.value for p in perms),
         "discount_limit_bp": limit, "created_at": now, "updated_at": now}
        for code, (name, perms, limit) in DEFAULT_ROLES.items()
        if code not in existing
    ]
    if rows:
        tx.conn.execute(insert(roles), rows)


def _actor(conn: Connection, staff_id: str) -> Actor:
    row = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role_code, roles.c.permissions,
               roles.c.discount_limit_bp)
        .join(roles, roles.c.code == staff.c.role_code)
        .where(staff.c.id == staff_id)
    ).first()
    if row is None:
        raise NotFound("That staff member does not exist.")
    return Actor(row.id, row.name, row.role_code, frozenset(row.permissions),
                 row.discount_limit_bp)


class StaffService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list_staff(self, *, include_inactive: bool = False) -> list[StaffRecord]:
        query = select(staff).order_by(staff.c.name)
        if not include_inactive:
            query = query.where(staff.c.active.is_(True))
        with self._db.read() as conn:
            return [
                StaffRecord(r.id, r.name, r.role_code, r.active, r.locked_until)
                for r in conn.execute(query)
            ]

    def actor(self, staff_id: str) -> Actor:
        with self._db.read() as conn:
            return _actor(conn, staff_id)

    def add_staff(self, by: Actor | None, name: str, role: str, pin: str) -> Actor:
        """Add a member. ``by`` may be None only while the shop has no staff (first owner)."""
        name = name.strip()
        if not name or len(name) > 100:
            raise ValidationError("A staff member needs a name of 1 to 100 characters.")
        pin_hash = hash_pin(pin)

        def write(tx: Tx) -> str:
            has_staff = tx.conn.execute(select(staff.c.id).limit(1)).first() is not None
            if by is None and has_staff:
                raise ValidationError("Only a signed-in owner can add staff.")
            if by is not None:
                require(by, Permission.MANAGE_STAFF)
            if tx.conn.execute(select(roles.c.code).where(roles.c.code == role)).first() is None:
                raise ValidationError(f"There is no role “{role}”.", field="role")
            staff_id = new_id()
            now = utc_now()
            tx.conn.execute(insert(staff), {
                "id": staff_id, "name": name, "role_code": role, "pin_hash": pin_hash,
                "active": True, "failed_attempts": 0, "created_at": now, "updated_at": now,
            })
            audit.append(tx, "staff_added", staff_id=by.staff_id if by else None,
                         entity_type="staff", entity_id=staff_id,
                         details={"name": name, "role": role})
            tx.changed("staff", staff_id)
            return staff_id

        return self.actor(self._db.write(write))

    def sign_in(self, staff_id: str, pin: str) -> Actor:
        """Check a PIN. Failed attempts are counted and audited; too many lock the member."""
        outcome = self._db.write(lambda tx: self._check_pin(tx, staff_id, pin, "sign_in"))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def approve(self, approver_id: str, pin: str, permission: Permission) -> Actor:
        """A manager approves one gated action with their PIN, without switching user.

        The Actor returned carries only ``permission``: passed as ``approver`` to another
        kind of action, it approves nothing."""
        outcome = self._db.write(lambda tx: self._check_pin(tx, approver_id, pin, "approval"))
        if isinstance(outcome, Exception):
            raise outcome
        require(outcome, permission)
        return scoped_approval(outcome, permission)

    def _check_pin(self, tx: Tx, staff_id: str, pin: str, purpose: str) -> Actor | Exception:
        # Failures are *returned*, not raised, so the attempt counter and audit entry commit.
        row = tx.conn.execute(select(staff).where(staff.c.id == staff_id)).first()
        if row is None or not row.active:
            return AuthenticationFailed("Unknown or inactive staff member.")
        now = utc_now()
        if row.locked_until is not None and row.locked_until > now:
            minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
            return StaffLocked(
                f"Too many wrong PINs for {row.name}. Try again in {minutes} min "
                "or ask a manager."
            )
        try:
            _hasher.verify(row.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            attempts = row.failed_attempts + 1
            locked = now + LOCKOUT if attempts >= MAX_FAILED_ATTEMPTS else None
            tx.conn.execute(update(staff).where(staff.c.id == staff_id).values(
                failed_attempts=0 if locked else attempts, locked_until=locked))
            audit.append(tx, f"{purpose}_failed", staff_id=staff_id, entity_type="staff",
                         entity_id=staff_id, details={"attempt": attempts, "locked": bool(locked)})
            if locked:
                return StaffLocked(
                    f"Too many wrong PINs for {row.name}; locked for "
                    f"{int(LOCKOUT.total_seconds() // 60)} minutes."
                )
            left = MAX_FAILED_ATTEMPTS - attempts
            return AuthenticationFailed(f"Wrong PIN. {left} attempt(s) left.")
        if row.failed_attempts or row.locked_until:
            tx.conn.execute(update(staff).where(staff.c.id == staff_id).values(
                failed_attempts=0, locked_until=None))
        audit.append(tx, purpose, staff_id=staff_id, entity_type="staff", entity_id=staff_id)
        return _actor(tx.conn, staff_id)
