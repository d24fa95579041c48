"""The live order queue of the window: reloads the queue in a worker whenever sync or a local
action changes an order (the writer's change sets, throttled), rings once per new order and
acknowledges it to the marketplace. It lives on the window, so a new order rings even when
the Orders page has never been opened.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from ui.changes import ChangeFeed
from ui.orders.bell import NewOrderBell
from ui.sell.context import current_core
from ui.workers import run_in_background
from vendor_console.services.order_desk import OrderDesk
from vendor_console.services.order_queue import QueueSnapshot

WATCHED = ("order", "sync_issue")


class OrderQueue(QObject):
    updated = Signal(object)  # QueueSnapshot

    def __init__(self, window: QWidget, desk: OrderDesk) -> None:
        super().__init__(window)
        self.setObjectName("orderQueue")
        self.desk = desk
        self.bell = NewOrderBell(window, self)
        self.snapshot: QueueSnapshot | None = None
        self._loading = False
        self._again = False
        self.feed = ChangeFeed(desk.subscribe, WATCHED, parent=self)
        self.feed.changed.connect(lambda _changes: self.reload())
        self.reload()

    def reload(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        run_in_background(self.desk.load_queue, on_success=self._arrived, owner=self,
                          on_done=self._loaded)

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()

    def _arrived(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = snapshot
        fresh = self.bell.ring_for(snapshot.lane("new"))
        unacked = [o.id for o in fresh if o.acknowledged_at is None
                   and o.id not in snapshot.acknowledging]
        if unacked:
            desk = self.desk
            run_in_background(lambda: desk.acknowledge_shown(unacked), owner=self)
        self.updated.emit(snapshot)


def order_queue(window: QWidget | None) -> OrderQueue | None:
    """The window's queue, created on first use once the shop database is open."""
    if window is None:
        return None
    top = window.window()
    found = top.findChild(OrderQueue, "orderQueue")
    if isinstance(found, OrderQueue):
        return found
    core = current_core()
    if core is None or not isinstance(top, QMainWindow):
        return None
    from ui.orders.store_header import install_store_header

    desk = OrderDesk(core.db)
    install_store_header(top, desk.store_controls())  # store controls in the window header
    return OrderQueue(top, desk)
