"""Reviews: the shop's reviews with their ratings, read on a worker from the local mirror sync
keeps (so they show offline), and a reply to the selected one, queued in the outbox and sent
by sync; it shows as "sending…" until the marketplace's answer comes back in the mirror."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.changes import ChangeFeed
from ui.sync_runner import runner_of
from ui.workers import run_in_background
from vendor_console.services.store_controls import Queued, StoreControls
from vendor_console.services.store_mirror import Review, average_rating

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Rating", "Customer", "Review", "Your reply")
WATCHED = ("review", "outbox")


def stars(rating: int) -> str:
    rating = max(0, min(5, rating))
    return "★" * rating + "☆" * (5 - rating)


class ReviewsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.reviews: list[Review] = []
        self.pending: dict[str, str] = {}  # replies just queued here, not yet read back

    def set_reviews(self, reviews: list[Review]) -> None:
        self.beginResetModel()
        self.reviews = reviews
        self.pending = {k: v for k, v in self.pending.items()
                        if not any(r.id == k and v in (r.reply, r.pending_reply)
                                   for r in reviews)}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.reviews)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        review = self.reviews[index.row()]
        pending = self.pending.get(review.id) or review.pending_reply
        return (stars(review.rating), review.customer, review.text,
                f"{pending} (sending…)" if pending else review.reply or "")[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


class ReviewsPanel(QWidget):
    def __init__(self, controls: StoreControls | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewsPanel")
        self.controls: StoreControls | None = None
        self.feed: ChangeFeed | None = None
        self._loading = False
        self._again = False
        self.model = ReviewsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("reviewsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("reviewsSummary")
        self.reply = QLineEdit(self)
        self.reply.setObjectName("reviewReply")
        self.reply.setPlaceholderText("Reply to the selected review")
        self.reply.returnPressed.connect(self.send_reply)
        self.send = QPushButton("Send &reply", self)
        self.send.setObjectName("reviewSend")
        self.send.clicked.connect(self.send_reply)
        self.refresh_button = QPushButton("Re&load", self)
        self.refresh_button.clicked.connect(self.reload)
        self.message = QLabel(self)
        self.message.setObjectName("reviewsMessage")
        row = QHBoxLayout()
        row.addWidget(self.reply, 1)
        row.addWidget(self.send)
        row.addWidget(self.refresh_button)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.view, 1)
        column.addLayout(row)
        column.addWidget(self.message)
        if controls is not None:
            self.set_controls(controls)

    def set_controls(self, controls: StoreControls) -> None:
        """Read the mirror now and again whenever sync or a queued reply changes it."""
        if self.controls is controls:
            return
        self.controls = controls
        self.feed = ChangeFeed(controls.subscribe, WATCHED, parent=self)
        self.feed.changed.connect(lambda _changes: self.refresh())
        self.refresh()

    def reload(self) -> None:
        """Ask sync for the marketplace's latest (when it runs) and read the mirror again."""
        runner = runner_of(self)
        if runner is not None:
            runner.sync_now()
        self.refresh()

    def refresh(self) -> None:
        controls = self.controls
        if controls is None:
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        run_in_background(controls.read_reviews, on_success=self.show_reviews,
                          on_failure=lambda _e, m: self.message.setText(m),
                          on_done=self._loaded, owner=self)

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

    def show_reviews(self, reviews: list[Review]) -> None:
        self.model.set_reviews(reviews)
        average = average_rating(reviews)
        if average is not None:
            self.summary.setText(f"{len(reviews)} reviews, average {average:.1f} ★")
        else:
            self.summary.setText("No reviews yet")

    def send_reply(self) -> None:
        row = self.view.currentIndex().row()
        controls = self.controls
        if controls is None or not 0 <= row < len(self.model.reviews):
            self.message.setText("Choose a review first.")
            return
        review, text = self.model.reviews[row], self.reply.text()

        def queued(_q: Queued) -> None:
            self.model.pending[review.id] = text.strip()
            self.model.set_reviews(self.model.reviews)
            self.reply.clear()
            self.message.setText("Reply queued — sync sends it to the marketplace.")

        run_in_background(lambda: controls.reply_to_review(review.id, text),
                          on_success=queued, on_failure=lambda _e, m: self.message.setText(m),
                          owner=self)
