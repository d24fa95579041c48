"""Power fails the moment after "Pay": a real till process is SIGKILLed right after the sale
is reported done on screen; the reopened database has the sale, its stock movements and its
outbox row (``synchronous=FULL``: the commit was durable before "Pay" returned)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from local_db.database import Database
from local_db.tables import outbox, sale_lines, sales, stock_levels, stock_movements
from vendor_console.services.checkout import CheckoutService
from vendor_console.services.shifts import ShiftService

from .conftest import JAM_CODE, Counter

TILL = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from local_db.database import Database
    from ui.sell.page import SellPage
    from ui.sell.payment import PaymentDialog
    from vendor_console.settings import Settings

    class Core:
        def __init__(self, db):
            self.db, self.settings, self.signed_in = db, Settings(db), None

    def wait(done):
        deadline = time.monotonic() + 60
        while not done():
            if time.monotonic() > deadline:
                sys.exit("timed out")
            app.processEvents()
            time.sleep(0.002)

    db = Database.open(sys.argv[1])
    page = SellPage(Core(db))
    page.show()
    wait(lambda: page.sign_in is not None and bool(page.sign_in.staff))
    page.sign_in.choose(sys.argv[2])
    page.sign_in.pin_pad.entry.setText("3333")
    page.sign_in.pin_pad.submit()
    wait(lambda: page.currentWidget() is page.sell)
    sell = page.sell
    sell.add_by_code(sys.argv[3])
    wait(lambda: sell.model.rowCount() == 1)
    sell.pay_cash()
    wait(lambda: isinstance(sell.active_dialog, PaymentDialog))
    done = []
    sell.sale_completed.connect(done.append)
    sell.active_dialog.add_cash(1000)  # "Pay": a 10 note for a 6.00 jar
    wait(lambda: bool(done))
    print(done[0].id, done[0].receipt_number, flush=True)
    while True:  # the till carries on, until the power goes
        app.processEvents()
        time.sleep(0.01)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sale_is_there_after_the_till_is_killed_right_after_pay(
        counter: Counter, db_path: Path) -> None:
    shop = counter.shop
    ShiftService(shop.db).open_shift(shop.manager, 0)
    shop.db.close()
    errors = db_path.parent / "till-stderr.txt"
    with errors.open("w") as err, subprocess.Popen(
            [sys.executable, "-c", TILL, str(db_path), shop.cashier.staff_id, JAM_CODE],
            stdout=subprocess.PIPE, stderr=err, text=True,
            cwd=Path(__file__).parents[3]) as till:
        try:
            assert till.stdout is not None
            ready, _, _ = select.select([till.stdout], [], [], 120)
            line = till.stdout.readline() if ready else ""
            assert till.poll() is None, errors.read_text()
            os.kill(till.pid, signal.SIGKILL)  # no close, no checkpoint, no atexit
            assert till.wait(timeout=60) == -signal.SIGKILL
        finally:
            if till.poll() is None:
                till.kill()
                till.wait()
    sale_id, receipt_number = line.split()

    reopened = Database.open(db_path)
    try:
        sale = CheckoutService(reopened).get_sale(sale_id)
        assert sale.receipt_number == receipt_number and sale.total == 600
        assert sale.tenders[0].tendered == 1000 and sale.change_due == 400
        with reopened.read() as conn:
            moved = conn.execute(sql_select(stock_movements.c.variant_id,
                                            stock_movements.c.delta).where(
                stock_movements.c.reference_id == sale_id)).all()
            queued = conn.execute(sql_select(outbox.c.status).where(
                outbox.c.resource_type == "sale", outbox.c.resource_id == sale_id)).all()
            on_hand = conn.execute(sql_select(stock_levels.c.on_hand).where(
                stock_levels.c.variant_id == counter.jam)).scalar()
            lines = conn.execute(sql_select(func.count()).select_from(sale_lines).where(
                sale_lines.c.sale_id == sale_id)).scalar()
            count = conn.execute(sql_select(func.count()).select_from(sales)).scalar()
        assert moved == [(counter.jam, -1000)]
        assert queued == [("PENDING",)]
        assert on_hand == -1000 and lines == 1 and count == 1
    finally:
        reopened.close()
