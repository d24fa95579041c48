"""Images in the product editor: dropped files are added (thumbnails from a worker), reordered,
given alt text; a broken file says why and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui.catalog.conftest import Core, Shelf
from ui.catalog.editor.dialog import ProductEditor
from ui.catalog.editor.images_panel import ImagesPanel
from vendor_console.services.catalog_console import CatalogConsole


def drop(panel: ImagesPanel, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(panel.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(panel.rect().center()), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, event)


@pytest.fixture
def editor(qtbot: QtBot, core: Core, shelf: Shelf) -> Iterator[ProductEditor]:
    e = ProductEditor(CatalogConsole(core.db), core.signed_in, shelf.products["Cherry jam"])
    qtbot.addWidget(e)
    with qtbot.waitSignal(e.ready):
        e.show()
    # The image strip loads on its own; a change must not be mistaken for that first load.
    images = e.images
    assert images is not None
    qtbot.waitUntil(lambda: images.loads >= 1)
    yield e


def photos(tmp_path: Path) -> list[Path]:
    paths = []
    for name, colour in (("front.png", "red"), ("back.jpg", "blue")):
        path = tmp_path / name
        Image.new("RGB", (1000, 700), colour).save(path)
        paths.append(path)
    return paths


def test_dropped_files_are_added_reordered_and_described(
    qtbot: QtBot, editor: ProductEditor, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    panel = editor.images
    assert panel is not None
    with qtbot.waitSignal(panel.changed):
        drop(panel, photos(tmp_path))
    model = panel.model
    assert model.rowCount() == 2
    thumb = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(thumb, QImage) and not thumb.isNull()
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) == "1000 × 700 px"
    qtmodeltester.check(model, force_py=True)
    first, second = (r.id for r in model.records())

    panel.view.setCurrentIndex(model.index(1))
    with qtbot.waitSignal(panel.changed):
        panel.earlier_button.click()
    assert [r.id for r in model.records()] == [second, first]
    panel.view.setCurrentIndex(model.index(0))
    panel.alt.setText("Jar seen from the back")
    with qtbot.waitSignal(panel.changed):
        qtbot.keyClick(panel.alt, Qt.Key.Key_Return)
    assert model.index(0).data() == "Jar seen from the back"


def test_a_broken_file_says_why_and_changes_nothing(qtbot: QtBot, editor: ProductEditor,
                                                    tmp_path: Path) -> None:
    panel = editor.images
    assert panel is not None
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff" + b"nope" * 100)
    with qtbot.waitSignal(panel.finished):
        drop(panel, [bad])
    assert "broken.jpg" in panel.status.text()
    assert panel.model.rowCount() == 0
    assert not any((tmp_path / "data" / "images").glob("*"))


def test_a_new_product_asks_to_be_saved_first(qtbot: QtBot, core: Core) -> None:
    e = ProductEditor(CatalogConsole(core.db), core.signed_in, None)
    qtbot.addWidget(e)
    with qtbot.waitSignal(e.ready):
        e.show()
    assert e.images is None
