"""Fixtures for the device tests: a completed sale to print, and the emupos emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ShopFixture
from tests.devices.emupos import Emupos, emupos_bin
from tests.services.test_checkout import add_variant
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.pricing import Cart, CartLine, Discount, Tender
from vendor_console.services.sale_records import SaleRecord
from vendor_console.services.shifts import ShiftService


@pytest.fixture
def sale(shop: ShopFixture) -> SaleRecord:
    """A cash sale by Cal: 2 x Crème brûlée 4.50 (20 %), Smørrebrød 3.20 -0.20 (5 %)."""
    ShiftService(shop.db).open_shift(shop.cashier, 10_000)
    creme = add_variant(shop.db, "Crème brûlée", 450, rate_bp=2000)
    smor = add_variant(shop.db, "Smørrebrød", 320, rate_bp=500)
    cart = Cart((CartLine(creme, 2 * QTY_SCALE),
                 CartLine(smor, QTY_SCALE, discount=Discount(amount=20))))
    return CheckoutService(shop.db).complete_sale(shop.cashier, cart, [Tender("CASH", 1200, 2000)])


@pytest.fixture(scope="session")
def emupos_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emupos]:
    binary = emupos_bin()
    emu = Emupos(binary, tmp_path_factory.mktemp("emupos"))
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def emupos(emupos_session: Emupos) -> Iterator[Emupos]:
    """The running emulator, with no faults and the drawer closed; the test fails if the
    emulator reported an unknown command or an unsupported code page during it."""
    emu = emupos_session
    for fault in ("paper-out", "paper-near-end", "cover-open", "offline"):
        emu.fault(fault, active=False)
    emu.call("POST", "/devices/front/drawer/close")
    start = len(emu.events)
    yield emu
    for fault in ("paper-out", "paper-near-end", "cover-open", "offline"):
        emu.fault(fault, active=False)
    emu.sync()
    assert emu.bad_events(start) == []
