"""The main window: header, message bar, left navigation, the page stack and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.messages import MessageBar, MessageLevel
from ui.navigation import Navigation
from ui.pages import PAGES, PageSpec, StatusAware, ThemeChooser
from ui.status_bar import ShellStatusBar
from vendor_console.status import ShellStatus

StatusProvider = Callable[[], ShellStatus]


def page_shortcut(index: int) -> QKeySequence:
    """Ctrl+1 … Ctrl+6 (⌘1 … ⌘6 on macOS)."""
    return QKeySequence(f"Ctrl+{index + 1}")


class _PageHost(QWidget):
    """Holds the place of a page in the stack until it is first shown."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure_page(self) -> tuple[QWidget, bool]:
        """The page, and whether it was built just now."""
        if self.page is not None:
            return self.page, False
        self.page = self.spec.create()
        self._layout.addWidget(self.page)
        return self.page, True


class MainWindow(QMainWindow):
    page_changed = Signal(str)  # key of the page now showing
    theme_changed = Signal(str)  # the user picked another theme on the Settings page

    def __init__(
        self,
        status_provider: StatusProvider,
        *,
        title: str = "Vendor Console",
        status_refresh_ms: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._status_provider = status_provider
        self.setWindowTitle(title)
        self._status: ShellStatus | None = None
        self.setMinimumSize(960, 600)

        self.shop_name_label = QLabel(self)
        self.shop_name_label.setObjectName("shopName")
        self.page_title_label = QLabel(self)
        self.page_title_label.setObjectName("pageTitle")
        self.message_bar = MessageBar(self)
        self.navigation = Navigation(
            [(spec.title, page_shortcut(i)) for i, spec in enumerate(PAGES)], self
        )
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pageStack")
        self._hosts = [_PageHost(spec, self.stack) for spec in PAGES]
        for host in self._hosts:
            self.stack.addWidget(host)
        self.setCentralWidget(self._build_central())
        self.shell_status_bar = ShellStatusBar(self)
        self.setStatusBar(self.shell_status_bar)
        self.page_actions = self._build_page_actions()
        from ui.catalog_import.action import install_import_action

        self.import_action = install_import_action(self)  # Ctrl+Shift+I
        self.navigation.page_requested.connect(self.show_page)

        self._status_timer = QTimer(self)
        self._status_timer.timeout.connect(self.refresh_status)
        if status_refresh_ms > 0:
            self._status_timer.start(status_refresh_ms)

        self.refresh_status()
        self.show_page(0)

    def _build_central(self) -> QWidget:
        central = QWidget(self)
        central.setObjectName("central")
        header = QFrame(central)
        header.setObjectName("header")
        header_row = QHBoxLayout(header)
        header_row.setContentsMargins(20, 10, 20, 10)
        header_row.addWidget(self.shop_name_label, 1)
        header_row.addWidget(self.page_title_label, 0, Qt.AlignmentFlag.AlignRight)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.navigation)
        body.addWidget(self.stack, 1)

        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(header)
        column.addWidget(self.message_bar)
        column.addLayout(body, 1)
        return central

    def _build_page_actions(self) -> list[QAction]:
        """Ctrl+1 … Ctrl+6 work anywhere in the window (the buttons show them)."""
        actions: list[QAction] = []
        for index, spec in enumerate(PAGES):
            action = QAction(f"Go to {spec.title}", self)
            action.setShortcut(page_shortcut(index))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, i=index: self.show_page(i))
            self.addAction(action)
            actions.append(action)
        return actions

    # --- pages --------------------------------------------------------------------------

    def page_keys(self) -> list[str]:
        return [spec.key for spec in PAGES]

    def show_page(self, page: int | str) -> QWidget:
        """Switch to a page by index or key, building it on first use; returns the page."""
        index = self.page_keys().index(page) if isinstance(page, str) else page
        host = self._hosts[index]
        widget, built = host.ensure_page()
        if built and isinstance(widget, ThemeChooser):
            widget.theme_chosen.connect(self.theme_changed)
        if self._status is not None and isinstance(widget, StatusAware):
            widget.show_status(self._status)
        changed = self.stack.currentIndex() != index
        self.stack.setCurrentIndex(index)
        self.navigation.select(index)
        self.page_title_label.setText(host.spec.title)
        if changed:
            self.page_changed.emit(host.spec.key)
        return widget

    def current_page_key(self) -> str:
        return PAGES[self.stack.currentIndex()].key

    def page(self, key: str) -> QWidget | None:
        """The page widget if it has been built, else ``None``."""
        return self._hosts[self.page_keys().index(key)].page

    # --- status and messages ------------------------------------------------------------

    def refresh_status(self) -> ShellStatus:
        """Ask the core for the shell status and show it in the header and status bar."""
        status = self._status_provider()
        self._status = status
        self.shop_name_label.setText(status.shop_name)
        self.shell_status_bar.show_status(status)
        for host in self._hosts:
            if host.page is not None and isinstance(host.page, StatusAware):
                host.page.show_status(status)
        return status

    def status(self) -> ShellStatus | None:
        return self._status

    def show_message(self, text: str, level: MessageLevel = MessageLevel.WARNING) -> None:
        """Show a non-modal message above the page (expected problems, notices)."""
        self.message_bar.show_message(text, level)
