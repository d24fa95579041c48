"""Orders: the marketplace's online order queue, live from sync.

Lanes New … Cancelled as tabs, the selected order in full, and the actions. Everything shown
comes from the window's :class:`OrderQueue` (loaded in a worker after each change); actions
run on a worker through the single writer and are sent by sync; a refused action comes back
reverted, with the marketplace's explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.orders.actions import ActionPanel
from ui.orders.detail import OrderDetail
from ui.orders.lane_model import CardRole, LaneModel
from ui.orders.queue import OrderQueue, order_queue
from ui.orders.reviews import ReviewsPanel
from ui.orders.tickets import TicketPrinters, print_on_accept
from ui.sell.context import current_core
from ui.sync_runner import runner_of
from ui.workers import run_in_background
from vendor_console.services.order_desk import OrderDesk
from vendor_console.services.order_queue import LANES, OrderCard, QueueSnapshot

TICK_MS = 1000


class OrdersPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersPage")
        self.queue: OrderQueue | None = None
        self.snapshot: QueueSnapshot | None = None
        self.selected_id: str | None = None
        self.busy = False
        self.online_override: bool | None = None  # tests: pretend the network state
        heading = QLabel("Orders", self)
        heading.setObjectName("pageHeading")
        self.connection = QLabel(self)
        self.connection.setObjectName("ordersConnection")
        self.message = QLabel(self)
        self.message.setObjectName("ordersMessage")
        self.message.setWordWrap(True)
        self.dismiss = QPushButton("&Dismiss", self)
        self.dismiss.setObjectName("ordersDismiss")
        self.dismiss.hide()
        self.dismiss.clicked.connect(self._dismiss_explanation)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("orderLanes")
        self.models: dict[str, LaneModel] = {}
        self.views: dict[str, QListView] = {}
        for key, title, _statuses in LANES:
            model = LaneModel(key, self)
            view = QListView(self.tabs)
            view.setObjectName(f"lane_{key}")
            view.setModel(model)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.selectionModel().currentChanged.connect(
                lambda current, _prev, m=model: self._current_changed(m, current.row()))
            self.models[key] = model
            self.views[key] = view
            self.tabs.addTab(view, title)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.detail = OrderDetail(self)
        self.panel = ActionPanel(self)
        self.panel.requested.connect(self.run_action)
        core = current_core()
        self.settings = None if core is None else core.settings
        self.reviews = ReviewsPanel(None, self)
        self.tickets = TicketPrinters(core, self)
        self._build_layout(heading)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(TICK_MS)
        QTimer.singleShot(0, self.attach)

    def _build_layout(self, heading: QLabel) -> None:
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.connection)
        top.addWidget(self.tickets)
        notice = QHBoxLayout()
        notice.addWidget(self.message, 1)
        notice.addWidget(self.dismiss)
        side = QVBoxLayout()
        side.addWidget(self.detail, 1)
        side.addWidget(self.panel)
        queue = QWidget(self)
        body = QHBoxLayout(queue)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.tabs, 3)
        body.addLayout(side, 2)
        self.sections = QTabWidget(self)
        self.sections.setObjectName("ordersSections")
        self.sections.addTab(queue, "&Queue")
        self.sections.addTab(self.reviews, "Re&views")
        self.sections.currentChanged.connect(
            lambda i: self.reviews.refresh() if i == 1 else None)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addLayout(notice)
        column.addWidget(self.sections, 1)

    # -- the queue ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.attach()

    def attach(self) -> None:
        if self.queue is not None:
            return
        self.queue = order_queue(self)
        if self.queue is None:
            return
        self.queue.updated.connect(self.show_snapshot)
        self.reviews.set_controls(self.queue.desk.store_controls())
        runner = runner_of(self)
        if runner is not None:  # online / offline changes show at once
            runner.status_changed.connect(lambda _status: self.tick())
        if self.queue.snapshot is not None:
            self.show_snapshot(self.queue.snapshot)

    def show_snapshot(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = snapshot
        for n, (key, title, _statuses) in enumerate(LANES):
            cards = snapshot.lane(key)
            self.models[key].set_cards(cards, snapshot.skew_ms)
            self.tabs.setTabText(n, f"{title} ({len(cards)})" if cards else title)
        if self.selected_id is None or snapshot.find(self.selected_id) is None:
            first = next((c for c in snapshot.orders if c.lane == self.current_lane()), None)
            self.selected_id = None if first is None else first.id
        self._show_selected()

    def current_lane(self) -> str:
        return LANES[self.tabs.currentIndex()][0]

    def select(self, order_id: str) -> None:
        """Show the order's lane and select it (as a click or the arrow keys would)."""
        card = None if self.snapshot is None else self.snapshot.find(order_id)
        if card is None:
            return
        keys = [k for k, _t, _s in LANES]
        self.tabs.setCurrentIndex(keys.index(card.lane))
        model, view = self.models[card.lane], self.views[card.lane]
        view.selectionModel().setCurrentIndex(
            model.index(model.row_of(order_id)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.selected_id = order_id
        self._show_selected()

    def selected(self) -> OrderCard | None:
        if self.snapshot is None or self.selected_id is None:
            return None
        return self.snapshot.find(self.selected_id)

    def _tab_changed(self, _index: int) -> None:
        view = self.views[self.current_lane()]
        card = view.currentIndex().data(CardRole)
        if card is None and self.models[self.current_lane()].cards:
            card = self.models[self.current_lane()].cards[0]
        self.selected_id = None if card is None else card.id
        self._show_selected()

    def _current_changed(self, model: LaneModel, row: int) -> None:
        if model.key == self.current_lane() and 0 <= row < len(model.cards):
            self.selected_id = model.cards[row].id
            self._show_selected()

    def explanation_for(self, order_id: str) -> str | None:
        if self.snapshot is None:
            return None
        found = [e.message for e in self.snapshot.explanations if e.order_id == order_id]
        return found[-1] if found else None

    def _show_selected(self) -> None:
        card = self.selected()
        skew = self.snapshot.skew_ms if self.snapshot else 0
        self.detail.show_card(card, None if card is None else self.explanation_for(card.id),
                              skew)
        explanations = self.snapshot.explanations if self.snapshot else ()
        if explanations:
            self.message.setText(explanations[-1].message)
            self.dismiss.show()
        elif not self.busy:
            self.dismiss.hide()
        self._update_actions()

    # -- online state and the countdown -------------------------------------------------------
    def online(self) -> bool:
        if self.online_override is not None:
            return self.online_override
        runner = runner_of(self)
        status = None if runner is None else runner.last
        return bool(status is not None and status.paired and status.online)

    def tick(self) -> None:
        online = self.online()
        self.connection.setText("Online" if online else
                                "Offline — accepting and rejecting need the marketplace")
        skew = self.snapshot.skew_ms if self.snapshot else 0
        self.models["new"].tick()
        self.detail.tick(skew)
        self._update_actions()

    def _update_actions(self) -> None:
        skew = self.snapshot.skew_ms if self.snapshot else 0
        self.panel.update_for(self.selected(), online=self.online(), skew_ms=skew,
                                busy=self.busy)

    # -- actions ------------------------------------------------------------------------------
    def run_action(self, key: str) -> None:
        card = self.selected()
        if card is None or self.queue is None or self.busy:
            return
        self._update_actions()
        if self.panel.blocks.get(key):
            self.message.setText(self.panel.blocks[key] or "")
            return
        call = self._call(self.queue.desk, card.id, key)
        self.busy = True
        self._update_actions()
        run_in_background(call, on_success=lambda _r: self._done(key, card),
                          on_failure=self._refused, on_done=self._idle, owner=self)

    def _call(self, desk: OrderDesk, order_id: str, key: str) -> Callable[[], Any]:
        panel = self.panel
        minutes = panel.prep_minutes.value()
        reason = str(panel.reason.currentData())
        text = panel.explanation.text()
        sold_out = panel.sold_out.isChecked()
        code = panel.pickup_code.text()
        calls: dict[str, Callable[[], Any]] = {
            "accept": lambda: desk.accept(order_id, minutes),
            "reject": lambda: desk.reject(order_id, reason, text, mark_sold_out=sold_out),
            "start-preparing": lambda: desk.start_preparing(order_id),
            "mark-ready": lambda: desk.mark_ready(order_id),
            "dispatch": lambda: desk.dispatch(order_id),
            "complete": lambda: desk.complete(order_id, code),
            "cancel": lambda: desk.cancel(order_id, reason, text),
            "adjust-ready-time": lambda: desk.adjust_ready_time(order_id, minutes),
        }
        return calls[key]

    def _done(self, key: str, card: OrderCard) -> None:
        if key == "accept":
            print_on_accept(self.settings, card, self.panel.prep_minutes.value())
        self.message.setText(f"Order {card.number}: {key.replace('-', ' ')} — sending to the "
                             "marketplace.")
        self.panel.pickup_code.clear()
        self.panel.explanation.clear()
        self.panel.sold_out.setChecked(False)
        runner = runner_of(self)
        if runner is not None:
            runner.sync_now()

    def _refused(self, _exc: BaseException, message: str) -> None:
        self.message.setText(message)

    def _idle(self) -> None:
        self.busy = False
        self._update_actions()

    def _dismiss_explanation(self) -> None:
        if self.snapshot is None or not self.snapshot.explanations or self.queue is None:
            return
        issue = self.snapshot.explanations[-1].issue_id
        desk = self.queue.desk
        run_in_background(lambda: desk.dismiss_explanation(issue), owner=self)
        self.message.clear()
        self.dismiss.hide()

