"""The audit log is hash-chained: any edited, removed or reordered row is detected."""

from __future__ import annotations

from functools import partial

from sqlalchemy import delete, select, update

from local_db.tables import audit_log
from local_db.writer import Tx
from tests.conftest import ShopFixture
from vendor_console.services import audit


def _fill(shop: ShopFixture) -> None:
    def no_sale(tx: Tx, n: int) -> None:
        audit.append(tx, "no_sale", staff_id=shop.manager.staff_id, details={"n": n})

    for n in range(5):
        shop.db.write(partial(no_sale, n=n))


def test_intact_chain_verifies(shop: ShopFixture) -> None:
    _fill(shop)
    with shop.db.read() as conn:
        check = audit.verify_chain(conn)
    assert check.ok and check.entries >= 5  # staff additions are audited too


def test_edited_row_is_detected(shop: ShopFixture) -> None:
    _fill(shop)
    with shop.db.read() as conn:
        target = conn.execute(select(audit_log.c.seq).where(
            audit_log.c.action == "no_sale").order_by(audit_log.c.seq).limit(1)).scalar_one()
    shop.db.write(lambda tx: tx.conn.execute(
        update(audit_log).where(audit_log.c.seq == target).values(details={"n": 99})))
    with shop.db.read() as conn:
        check = audit.verify_chain(conn)
    assert not check.ok
    assert check.first_bad_seq == target
    assert "altered" in check.message


def test_reattributed_row_is_detected(shop: ShopFixture) -> None:
    _fill(shop)
    shop.db.write(lambda tx: tx.conn.execute(
        update(audit_log).where(audit_log.c.action == "no_sale")
        .values(staff_id=shop.cashier.staff_id)))
    with shop.db.read() as conn:
        assert not audit.verify_chain(conn).ok


def test_deleted_row_in_the_middle_is_detected(shop: ShopFixture) -> None:
    _fill(shop)
    shop.db.write(lambda tx: tx.conn.execute(delete(audit_log).where(audit_log.c.seq == 3)))
    with shop.db.read() as conn:
        check = audit.verify_chain(conn)
    assert not check.ok and check.first_bad_seq == 4
