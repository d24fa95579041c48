"""A product's images in the editor: add (file dialog or drag and drop), reorder, alt text,
remove. Files are processed and thumbnails read on a worker; a refused file says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.workers import run_in_background
from vendor_console.permissions import Actor
from vendor_console.services.product_images import ImageRecord, ProductImageService

THUMB = 320
_Index = QModelIndex | QPersistentModelIndex
IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.webp *.gif *.tif *.tiff *.bmp *.avif)"


class ImagesModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[ImageRecord] = []
        self._thumbs: dict[str, QImage] = {}

    def set_images(self, records: list[ImageRecord], thumbs: dict[str, QImage]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._thumbs = dict(thumbs)
        self.endResetModel()

    def records(self) -> list[ImageRecord]:
        return list(self._records)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return record.alt_text or "(no alt text)"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbs.get(record.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.width} × {record.height} px"
        return None


def _load(service: ProductImageService, product_id: str
          ) -> tuple[list[ImageRecord], dict[str, QImage]]:
    """On a worker: the records and their small thumbnails (QImage works off the GUI thread)."""
    records = service.images(product_id)
    thumbs = {}
    for r in records:
        image = QImage(str(service.images_dir / r.file(THUMB)))
        if not image.isNull():
            thumbs[r.id] = image.scaled(QSize(96, 96), Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)
    return records, thumbs


class ImagesPanel(QWidget):
    changed = Signal()  # the images were (re)loaded after a change
    finished = Signal()  # a write finished, whatever its outcome

    def __init__(self, service: ProductImageService, actor: Actor | None, product_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor, self.product_id = service, actor, product_id
        self.model = ImagesModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setIconSize(QSize(96, 96))
        self.view.setFixedHeight(140)
        self.add_button = QPushButton("Add &images…", self)
        self.earlier_button = QPushButton("Move &earlier", self)
        self.later_button = QPushButton("Move &later", self)
        self.remove_button = QPushButton("Remove image", self)
        self.alt = QLineEdit(self)
        self.alt.setPlaceholderText("Alt text: what the picture shows, for screen readers")
        self.alt_button = QPushButton("Save alt te&xt", self)
        self.status = QLabel("Drop image files here, or add them.", self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.earlier_button, self.later_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        alt_row = QHBoxLayout()
        alt_row.addWidget(self.alt, 1)
        alt_row.addWidget(self.alt_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addLayout(alt_row)
        layout.addWidget(self.status)
        self.setAcceptDrops(True)
        self.add_button.clicked.connect(self._choose_files)
        self.earlier_button.clicked.connect(lambda: self.move_current(-1))
        self.later_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button.clicked.connect(self.remove)
        self.alt_button.clicked.connect(self.save_alt)
        self.alt.returnPressed.connect(self.save_alt)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.loads = 0  # how many (re)loads have arrived; 0 until the first one
        self.reload()

    def reload(self) -> None:
        service, pid = self.service, self.product_id
        run_in_background(lambda: _load(service, pid), on_success=self._loaded, owner=self)

    def _loaded(self, result: tuple[list[ImageRecord], dict[str, QImage]]) -> None:
        current = self.current()
        self.model.set_images(*result)
        ids = [r.id for r in result[0]]
        if current is not None and current.id in ids:
            self.view.setCurrentIndex(self.model.index(ids.index(current.id)))
        self.loads += 1
        self.changed.emit()

    def current(self) -> ImageRecord | None:
        index = self.view.currentIndex()
        return self.model.records()[index.row()] if index.isValid() else None

    def _current_changed(self, *_args: Any) -> None:
        record = self.current()
        self.alt.setText(record.alt_text if record else "")

    # --- writes -------------------------------------------------------------------------

    def _write(self, work: Any, done: str) -> None:
        def ok(_result: object) -> None:
            self.status.setText(done)
            self.reload()

        run_in_background(work, on_success=ok, owner=self, on_done=self.finished.emit,
                          on_failure=lambda _e, m: self.status.setText(m))

    def _who(self) -> Actor | None:
        if self.actor is None:
            self.status.setText("Sign in on the Sell page to change the catalog.")
        return self.actor

    def add_files(self, paths: list[Path]) -> None:
        actor = self._who()
        if actor is None or not paths:
            return
        service, pid = self.service, self.product_id

        def work() -> None:
            for path in paths:  # each file is its own change: a bad one stops the rest
                service.add(actor, pid, path)

        self.status.setText("Adding images…")
        self._write(work, f"{len(paths)} image{'s' if len(paths) != 1 else ''} added.")

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add images", "", IMAGE_FILTER)
        self.add_files([Path(f) for f in files])

    def move_current(self, step: int) -> None:
        actor, record = self._who(), self.current()
        if actor is None or record is None:
            return
        ids = [r.id for r in self.model.records()]
        i = ids.index(record.id)
        j = i + step
        if not 0 <= j < len(ids):
            return
        ids[i], ids[j] = ids[j], ids[i]
        service, pid = self.service, self.product_id
        self._write(lambda: service.reorder(actor, pid, ids), "Order saved.")

    def save_alt(self) -> None:
        actor, record = self._who(), self.current()
        if actor is None or record is None:
            return
        service, text = self.service, self.alt.text()
        self._write(lambda: service.set_alt_text(actor, record.id, text), "Alt text saved.")

    def remove(self) -> None:
        actor, record = self._who(), self.current()
        if actor is None or record is None:
            return
        service = self.service
        self._write(lambda: service.remove(actor, record.id), "Image removed.")

    # --- drag and drop ------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)
