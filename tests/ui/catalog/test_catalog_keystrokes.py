"""Typing fast in the catalog search: only the newest query's results are ever shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from tests.ui.catalog.conftest import Core
from tests.ui.catalog.test_catalog_page import make_page, names, settle
from ui.catalog.page import CatalogPage


class _PaintLog(QObject):
    """What the table showed at each paint of its viewport (loaded rows' names)."""

    def __init__(self, page: CatalogPage) -> None:
        super().__init__(page)
        self.page = page
        self.shown: list[tuple[str, frozenset[str]]] = []

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.shown.append((self.page.model.filter.text, frozenset(names(self.page))))
        return False


def test_a_burst_of_keystrokes_only_paints_the_newest_querys_results(
        qtbot: QtBot, core: Core) -> None:
    page = make_page(qtbot, core)
    settle(qtbot, page)
    everything = frozenset(names(page))
    assert len(everything) == 5
    log = _PaintLog(page)
    page.table.viewport().installEventFilter(log)
    resets: list[frozenset[str]] = []
    page.model.modelReset.connect(lambda: resets.append(frozenset(names(page))))
    # "j", "ja", "jam", "jam " each match both jams; only "jam ch" is the cherry one. The
    # keys go in as one burst: the first query starts at once, the later ones wait.
    qtbot.keyClicks(page.search, "jam ch")
    qtbot.waitUntil(lambda: names(page) == ["Cherry jam"])
    settle(qtbot, page)
    page.table.viewport().repaint()
    newest = frozenset({"Cherry jam"})
    assert resets == [newest]  # one reset, straight to the newest query's rows
    assert log.shown, "the table was never painted"
    # Every paint showed either what was there before the burst or the newest results,
    # never an older keystroke's (both jams).
    assert {shown for _text, shown in log.shown} <= {everything, newest}
    assert log.shown[-1] == ("jam ch", newest)
