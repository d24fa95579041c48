"""The GUI part of ``vendor-console --self-test``: build, paint and visit the real window.

Runs offscreen when it has to create the application, so it works on a build machine with no
display. Raises :class:`RenderCheckFailed` with a plain explanation when something is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ui.app import APP_ICON, ensure_application, set_window_icon
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.theme import THEMES, apply_theme, current_theme, load_stylesheet
from vendor_console.status import ShellStatus

WINDOW_SIZE = (1280, 800)
# Said by the offscreen platform plugin whenever a window is shown; not about our code.
PLATFORM_NOISE = frozenset({"This plugin does not support propagateSizeHints()"})


class RenderCheckFailed(RuntimeError):
    pass


@contextmanager
def _collect_qt_warnings() -> Iterator[list[str]]:
    """Record Qt warnings (e.g. an unparsable stylesheet), still passing them on."""
    warnings: list[str] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in PLATFORM_NOISE:
            return
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            warnings.append(message)
        if previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)
    try:
        yield warnings
    finally:
        qInstallMessageHandler(previous)


def _distinct_colours(image: QImage, samples: int = 24) -> int:
    colours = set()
    for row in range(samples):
        for col in range(samples):
            x = (image.width() - 1) * col // (samples - 1)
            y = (image.height() - 1) * row // (samples - 1)
            colours.add(image.pixel(x, y))
    return len(colours)


def _settle() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def render_offscreen_check(status_provider: Callable[[], ShellStatus]) -> list[str]:
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = ensure_application()
    lines: list[str] = []
    for name in THEMES:
        if "QWidget" not in load_stylesheet(name):
            raise RenderCheckFailed(f"the {name} theme stylesheet is empty or damaged")
    lines.append(f"themes found: {', '.join(THEMES)}")

    with _collect_qt_warnings() as warnings:
        theme = apply_theme(app, current_theme(app) or "light")
        try:
            window = MainWindow(status_provider)
        except Exception as exc:
            raise RenderCheckFailed(f"the main window could not be built: {exc!r}") from exc
        try:
            lines.extend(_check_window(window, theme))
        finally:
            window.close()
            window.deleteLater()
            _settle()
    style_problems = [w for w in warnings if "style" in w.lower()]
    if style_problems:
        raise RenderCheckFailed("stylesheet problem: " + "; ".join(style_problems))
    lines.extend(f"Qt warning: {w}" for w in warnings)
    return lines


def _check_window(window: MainWindow, theme: str) -> list[str]:
    lines: list[str] = []
    window.resize(*WINDOW_SIZE)
    window.show()
    _settle()
    image = window.grab().toImage()
    if image.isNull() or image.width() < 100 or image.height() < 100:
        raise RenderCheckFailed("the main window did not paint")
    if _distinct_colours(image) < 3:
        raise RenderCheckFailed("the main window painted as a blank area")
    platform = QApplication.platformName()
    lines.append(
        f"main window rendered {image.width()}x{image.height()} "
        f"({theme} theme, '{platform}' platform)"
    )
    status = window.status()
    if status is None or window.shop_name_label.text() != status.shop_name:
        raise RenderCheckFailed("the header does not show the shop name")
    segments = window.shell_status_bar.segments()
    if any(not segment.text().strip() for segment in segments):
        raise RenderCheckFailed("a status bar segment is empty")
    lines.append("status bar: " + " | ".join(segment.text() for segment in segments))

    for index, spec in enumerate(PAGES):
        page = window.show_page(index)
        _settle()
        if window.current_page_key() != spec.key or not page.isVisible():
            raise RenderCheckFailed(f"the {spec.title} page did not show")
        if page.grab().isNull():
            raise RenderCheckFailed(f"the {spec.title} page did not paint")
    lines.append(f"{len(PAGES)} pages visited: {', '.join(spec.title for spec in PAGES)}")

    lines.append(_check_chart())

    if not set_window_icon(window):
        raise RenderCheckFailed(f"the application icon {APP_ICON} could not be loaded")
    lines.append("application icon loaded")
    return lines


def _check_chart() -> str:
    """Render one chart (QtCharts, as the analytics page uses) and check it painted."""
    from PySide6.QtCharts import QChart, QChartView, QLineSeries

    series = QLineSeries()
    for day, takings in enumerate((120, 340, 280, 410, 390, 520, 610)):
        series.append(day, takings)
    chart = QChart()
    chart.addSeries(series)
    chart.createDefaultAxes()
    chart.setTitle("Self-test takings")
    view = QChartView(chart)
    try:
        view.resize(480, 320)
        view.show()
        _settle()
        image = view.grab().toImage()
        if image.isNull() or _distinct_colours(image) < 3:
            raise RenderCheckFailed("a chart (QtCharts) did not render")
        return f"chart rendered {image.width()}x{image.height()} (QtCharts)"
    finally:
        view.close()
        view.deleteLater()
        _settle()
