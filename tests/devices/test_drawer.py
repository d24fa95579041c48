"""No-sale drawer opens: permission-gated (manager approval allowed) and audited."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from local_db.tables import audit_log
from tests.conftest import ShopFixture
from tests.devices.fakes import FakeTcpPrinter
from vendor_console.devices.drawer import open_drawer_no_sale
from vendor_console.devices.printer_link import PrinterLink
from vendor_console.devices.profile import PrinterProfile
from vendor_console.errors import PermissionDenied
from vendor_console.permissions import Actor


def _no_sale(shop: ShopFixture, actor: Actor, approver: Actor | None = None) -> tuple[bool, bytes]:
    async def scenario() -> tuple[bool, bytes]:
        async with FakeTcpPrinter() as printer:
            link = PrinterLink(PrinterProfile(name="Front", url=printer.url, status_timeout=1))
            try:
                result = await open_drawer_no_sale(shop.db, link, actor, approver=approver,
                                                   reason="change for the float")
            finally:
                received = bytes(printer.brain.received)
            return bool(result.drawer_open), received

    return asyncio.run(scenario())


def _audit(shop: ShopFixture) -> list[tuple[str, str | None, str | None, dict[str, object]]]:
    with shop.db.read() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == "no_sale")).all()
    return [(r.action, r.staff_id, r.approved_by, r.details) for r in rows]


def test_cashier_may_not_open_the_drawer_without_a_sale(shop: ShopFixture) -> None:
    with pytest.raises(PermissionDenied, match="open the drawer without a sale"):
        _no_sale(shop, shop.cashier)
    assert _audit(shop) == []


def test_manager_approval_opens_it_and_is_audited(shop: ShopFixture) -> None:
    opened, received = _no_sale(shop, shop.cashier, approver=shop.manager)
    assert opened and received.startswith(bytes.fromhex("10 14 01 00 01"))
    assert _audit(shop) == [("no_sale", shop.cashier.staff_id, shop.manager.staff_id,
                             {"printer": "Front", "reason": "change for the float"})]


def test_manager_opens_it_alone_and_is_audited(shop: ShopFixture) -> None:
    opened, _ = _no_sale(shop, shop.manager)
    assert opened
    assert [(a, s, ap) for a, s, ap, _ in _audit(shop)] == [
        ("no_sale", shop.manager.staff_id, None)]
