"""The shell a shop owner sees: header, navigation and shortcuts, pages, status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.messages import MessageLevel
from ui.pages import PAGES
from ui.pages.settings import SettingsPage
from ui.theme import apply_theme, load_stylesheet
from vendor_console.status import DatabaseStatus, ShellStatus

PAGE_KEYS = ["sell", "orders", "catalog", "inventory", "analytics", "settings"]


def test_window_shows_shop_name_and_opens_on_sell(window: MainWindow) -> None:
    assert window.isVisible()
    assert window.shop_name_label.text() == "Hazel & Thread Ceramics"
    assert window.windowTitle() == "Vendor Console — Hazel & Thread"
    assert window.current_page_key() == "sell"
    assert window.page_title_label.text() == "Sell"
    assert window.navigation.buttons[0].isChecked()


def test_navigation_lists_every_page_with_its_shortcut(window: MainWindow) -> None:
    buttons = window.navigation.buttons
    assert [b.title_label.text() for b in buttons] == [spec.title for spec in PAGES]
    assert [b.shortcut_label.text() for b in buttons] == [f"Ctrl+{n}" for n in range(1, 8)]
    for button in buttons:
        assert button.isVisible()
        assert button.height() >= 44, "navigation targets must be large enough to touch"


def test_every_shortcut_switches_page(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # Go backwards so every press is a real change of page.
    for index in reversed(range(len(PAGE_KEYS))):
        key = PAGE_KEYS[index]
        with qtbot.waitSignal(window.page_changed) as changed:
            qtbot.keyClick(
                window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier
            )
        assert changed.args == [key]
        page = window.page(key)
        assert page is not None and page.isVisible()
        assert window.navigation.buttons[index].isChecked()
        assert window.page_title_label.text() == PAGES[index].title


def test_clicking_navigation_switches_page(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(window.navigation.buttons[2], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page_key() == "catalog")
    page = window.page("catalog")
    assert page is not None and page.isVisible()


def test_pages_are_built_only_when_first_shown(window: MainWindow) -> None:
    assert window.page("sell") is not None
    assert window.page("analytics") is None
    window.show_page("analytics")
    assert window.page("analytics") is not None


def test_status_bar_shows_the_shell_status(
    window: MainWindow,
    status_box: list[ShellStatus],
    status_factory: Callable[..., ShellStatus],
) -> None:
    bar = window.shell_status_bar
    assert bar.database.text() == "Database: schema 0003, 214 products"
    assert bar.sync.text() == "Offline — 3 pending"
    assert bar.printer.text() == "Printer ready"
    assert bar.staff.text() == "Signed in: Ana Lopez (manager)"
    assert all(segment.isVisible() for segment in bar.segments())
    assert "/srv/shop/vendor-console.db" in bar.database.toolTip()

    status_box[0] = status_factory(
        shop_name="Hazel & Thread",
        database=DatabaseStatus(path="/srv/shop/x.db", ok=False, message="file is not a database"),
        printer="No printer configured",
        staff_name=None,
        staff_role=None,
    )
    window.refresh_status()
    assert window.shop_name_label.text() == "Hazel & Thread"
    assert bar.database.text() == "Database problem: file is not a database"
    assert bar.database.property("state") == "problem"
    assert bar.printer.text() == "No printer configured"
    assert bar.staff.text() == "Nobody signed in"


def test_no_placeholder_pages_remain(window: MainWindow) -> None:
    from ui.orders.page import OrdersPage

    for key in PAGE_KEYS:
        page = window.show_page(key)
        assert page.property("placeholder") is None, f"{key} is still a placeholder"
    orders = window.show_page("orders")
    assert isinstance(orders, OrdersPage)
    titles = [orders.tabs.tabText(i) for i in range(orders.tabs.count())]
    assert titles == ["New", "Accepted", "Preparing", "Ready", "Out for delivery", "Done",
                      "Cancelled"]


def test_settings_shows_this_shop_and_switches_theme(
    window: MainWindow, qapp: QApplication, qtbot: QtBot
) -> None:
    apply_theme(qapp, "light")
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    shown = [label.text() for label in page.findChildren(QLabel)]
    assert "/srv/shop/vendor-console.db" in shown
    assert "EUR" in shown
    assert page.theme_buttons["light"].isChecked()

    light_bg = window.grab().toImage().pixelColor(window.width() // 2, window.height() // 2)
    with qtbot.waitSignal(window.theme_changed) as chosen:
        qtbot.mouseClick(page.theme_buttons["dark"], Qt.MouseButton.LeftButton)
    assert chosen.args == ["dark"]  # passed on so the choice can be saved
    qtbot.waitUntil(lambda: qapp.styleSheet() == load_stylesheet("dark"))
    dark_bg = window.grab().toImage().pixelColor(window.width() // 2, window.height() // 2)
    assert dark_bg.lightness() < light_bg.lightness()
    apply_theme(qapp, "light")


def test_message_bar_shows_and_dismisses(window: MainWindow, qtbot: QtBot) -> None:
    bar = window.message_bar
    assert not bar.isVisible()
    window.show_message("The receipt printer is offline. Check that it is switched on.")
    assert bar.isVisible()
    assert bar.text() == "The receipt printer is offline. Check that it is switched on."
    assert bar.level() is MessageLevel.WARNING
    dismiss = bar.findChild(QPushButton, "messageDismiss")
    assert dismiss is not None
    with qtbot.waitSignal(bar.dismissed):
        qtbot.mouseClick(dismiss, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
