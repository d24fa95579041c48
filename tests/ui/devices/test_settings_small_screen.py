"""The Settings page on a small screen (1280×720): every section's controls can be reached —
the page scrolls, a control that gets keyboard focus (an Alt+letter mnemonic, Tab, a jump)
is scrolled into view, and Ctrl+PgDn / Ctrl+PgUp go from section to section."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.sell.conftest import Counter, FakeCore
from ui.pages.settings import SettingsPage
from ui.sell.context import forget_core, publish_core

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QListWidget, QTableWidget)


@pytest.fixture
def small_page(qtbot: QtBot, counter: Counter) -> Iterator[SettingsPage]:
    publish_core(FakeCore(counter.shop.db, signed_in=counter.shop.owner))
    page = SettingsPage()
    qtbot.addWidget(page)
    page.setFixedSize(1280, 720)  # the window's page area can be no taller than the screen
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    qtbot.waitUntil(lambda: page.devices.scanners is not None and page.tenders.loaded)
    yield page
    forget_core()


def _controls(page: SettingsPage) -> list[QWidget]:
    found: list[QWidget] = [w for w in page.findChildren(QWidget)
             if isinstance(w, CONTROLS) and w.isVisibleTo(page) and w.isEnabled()
             and w.focusPolicy() != Qt.FocusPolicy.NoFocus
             and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))]
    return found


def test_every_sections_controls_scroll_into_view_when_focused(
        qtbot: QtBot, small_page: SettingsPage) -> None:
    controls = _controls(small_page)
    assert len(controls) >= 30
    below = [w for w in controls if w.visibleRegion().isEmpty()]
    assert below, "the page fits 720 pixels: the test would show nothing"
    unreachable = []
    for widget in reversed(controls):  # from the bottom (pairing) back up to the theme
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is w)  # type: ignore[misc]
        if widget.visibleRegion().isEmpty():
            unreachable.append(widget.objectName() or type(widget).__name__)
    assert unreachable == []


def test_a_mnemonic_far_down_the_page_scrolls_to_its_field(
        qtbot: QtBot, small_page: SettingsPage) -> None:
    scanners = small_page.devices.scanners
    assert scanners is not None
    prefix = scanners.findChild(QLineEdit, "wedgePrefix")
    assert prefix is not None and prefix.visibleRegion().isEmpty()  # below the fold at first
    theme = small_page.theme_buttons["light"]
    theme.setFocus()
    qtbot.keyClick(theme, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # "Scanner pre&fix"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is prefix)
    assert not prefix.visibleRegion().isEmpty()
    scroll = small_page.scroller
    assert scroll.widgetResizable() and scroll.verticalScrollBar().value() > 0


def test_ctrl_page_down_and_up_go_section_by_section(
        qtbot: QtBot, small_page: SettingsPage) -> None:
    theme = small_page.theme_buttons["light"]
    theme.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is theme)
    visited: list[str] = []
    for _ in range(7):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        now = QApplication.focusWidget()
        assert now is not None and not now.visibleRegion().isEmpty()  # scrolled to it
        box = _section_of(now)
        if not visited or visited[-1] != box:
            visited.append(box)
    assert visited == ["Time zone", "Tenders", "Receipt printers",
                       "Scanners and customer display", "Marketplace"]
    now = QApplication.focusWidget()
    assert now is not None
    qtbot.keyClick(now, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp,
                   Qt.KeyboardModifier.ControlModifier)
    now = QApplication.focusWidget()
    assert now is not None and _section_of(now) == "Receipt printers"
    assert not now.visibleRegion().isEmpty()


def _section_of(widget: QWidget) -> str:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QGroupBox):
        parent = parent.parentWidget()
    return parent.title() if parent is not None else ""
