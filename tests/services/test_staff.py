"""Staff PINs, lockout, manager approval, and the audit trail they leave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from local_db.tables import audit_log, staff
from local_db.types import utc_now
from tests.conftest import ShopFixture
from vendor_console.errors import AuthenticationFailed, PermissionDenied, StaffLocked
from vendor_console.permissions import Permission, require
from vendor_console.services.audit import verify_chain
from vendor_console.services.staff import MAX_FAILED_ATTEMPTS, StaffService


def _actions(shop: ShopFixture) -> list[str]:
    with shop.db.read() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())


def test_pins_are_argon2_hashed_never_stored_plain(shop: ShopFixture) -> None:
    with shop.db.read() as conn:
        hashes = list(conn.execute(select(staff.c.pin_hash)).scalars())
    assert len(hashes) == 3
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(pin in h for h in hashes for pin in ("1111", "2222", "3333"))


def test_sign_in_with_right_pin_returns_actor_and_audits(shop: ShopFixture) -> None:
    actor = StaffService(shop.db).sign_in(shop.cashier.staff_id, "3333")
    assert actor.name == "Cal"
    assert actor.can(Permission.SELL)
    assert not actor.can(Permission.REFUND)
    assert _actions(shop)[-1] == "sign_in"


def test_wrong_pins_are_limited_audited_and_lock_the_member(shop: ShopFixture) -> None:
    service = StaffService(shop.db)
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed, match=f"{MAX_FAILED_ATTEMPTS - attempt} attempt"):
            service.sign_in(shop.cashier.staff_id, "0000")
    with pytest.raises(StaffLocked):
        service.sign_in(shop.cashier.staff_id, "0000")
    # Even the right PIN is refused while locked.
    with pytest.raises(StaffLocked, match="Try again"):
        service.sign_in(shop.cashier.staff_id, "3333")
    assert _actions(shop).count("sign_in_failed") == MAX_FAILED_ATTEMPTS
    with shop.db.read() as conn:
        assert verify_chain(conn).ok


def test_lock_expires_and_success_resets_counter(shop: ShopFixture) -> None:
    service = StaffService(shop.db)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises((AuthenticationFailed, StaffLocked)):
            service.sign_in(shop.cashier.staff_id, "9999")
    with pytest.raises(StaffLocked):
        service.sign_in(shop.cashier.staff_id, "3333")
    # Time passes: the lock has run out (moved into the past instead of sleeping).
    shop.db.write(lambda tx: tx.conn.execute(
        update(staff).where(staff.c.id == shop.cashier.staff_id)
        .values(locked_until=utc_now() - timedelta(seconds=1))))
    assert service.sign_in(shop.cashier.staff_id, "3333").name == "Cal"
    with shop.db.read() as conn:
        assert conn.execute(select(staff.c.failed_attempts).where(
            staff.c.id == shop.cashier.staff_id)).scalar() == 0


def test_manager_approves_one_action_without_switching_user(shop: ShopFixture) -> None:
    service = StaffService(shop.db)
    with pytest.raises(PermissionDenied, match="manager can approve"):
        require(shop.cashier, Permission.REFUND)
    approver = service.approve(shop.manager.staff_id, "2222", Permission.REFUND)
    assert require(shop.cashier, Permission.REFUND, approver) == approver
    # A cashier cannot approve for another cashier, even with the right PIN.
    with pytest.raises(PermissionDenied):
        service.approve(shop.cashier.staff_id, "3333", Permission.REFUND)
    with pytest.raises(AuthenticationFailed):
        service.approve(shop.manager.staff_id, "1234", Permission.REFUND)
    assert "approval" in _actions(shop) and "approval_failed" in _actions(shop)


def test_only_owners_manage_staff(shop: ShopFixture) -> None:
    service = StaffService(shop.db)
    with pytest.raises(PermissionDenied):
        service.add_staff(shop.manager, "Nina", "cashier", "4444")
    assert len(service.list_staff()) == 3
    service.add_staff(shop.owner, "Nina", "cashier", "4444")
    assert [s.name for s in service.list_staff()] == ["Cal", "Maya", "Nina", "Olive"]


def test_inactive_staff_cannot_sign_in(shop: ShopFixture) -> None:
    shop.db.write(lambda tx: tx.conn.execute(
        update(staff).where(staff.c.id == shop.cashier.staff_id).values(active=False)))
    with pytest.raises(AuthenticationFailed):
        StaffService(shop.db).sign_in(shop.cashier.staff_id, "3333")
