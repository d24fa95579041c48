"""The Analytics page (real widgets, offscreen) on the hand-computed history: the charts show
what ``vendor-console report sales`` prints, exports, and the dark theme."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChart, QStackedBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import ShopFixture
from ui.analytics.page import AnalyticsPage
from ui.theme import apply_theme
from vendor_console.cli import main
from vendor_console.services.analytics_dashboard import AnalyticsService

# The offscreen platform says this for every top-level widget shown; it is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(history: ShopFixture, qtbot: QtBot) -> AnalyticsPage:
    widget = AnalyticsPage(AnalyticsService(history.db))
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    with qtbot.waitSignal(widget.loaded):  # the first load: the last 28 days
        widget.show()
    return widget


def _cli(capsys: pytest.CaptureFixture[str], db_path: Path, *args: str) -> str:
    assert main(["--data-dir", str(db_path.parent), "report", "sales", *args]) == 0
    return capsys.readouterr().out


def _categories(chart: QChart, orientation: Qt.Orientation) -> list[str]:
    axis = chart.axes(orientation)[0]
    assert isinstance(axis, QBarCategoryAxis)
    return list(axis.categories())


def test_sales_chart_equals_the_report(page: AnalyticsPage, qtbot: QtBot, db_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    with qtbot.waitSignal(page.loaded):
        page.set_range(date(2026, 3, 16), date(2026, 4, 12), "week")
    rows = json.loads(_cli(capsys, db_path, "--from", "2026-03-16", "--to", "2026-04-12",
                           "--by", "week", "--format", "json"))["rows"]
    chart = page.sales_view.chart()
    series = chart.series()[0]
    assert isinstance(series, QStackedBarSeries)
    assert _categories(chart, Qt.Orientation.Horizontal) == [
        "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"]
    drawn = {s.objectName(): [s.at(i) for i in range(s.count())] for s in series.barSets()}
    printed = {c: [float(r["net"]) for r in rows if r["channel"] == c]
               for c in ("counter", "marketplace")}
    assert drawn == printed == {"counter": [0.0, 10.0, 15.0, 0.0],
                                "marketplace": [0.0, 12.0, 0.0, 0.0]}


def test_rankings_heatmap_and_funnel(page: AnalyticsPage, qtbot: QtBot) -> None:
    with qtbot.waitSignal(page.loaded):
        page.set_range(date(2026, 3, 1), date(2026, 10, 31), "month")
    chart = page.products_view.chart()
    bars = chart.series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    assert _categories(chart, Qt.Orientation.Vertical) == ["Mug", "Rye", "Sourdough"]  # best on top
    values = bars.barSets()[0]
    assert [values.at(i) for i in range(values.count())] == [7.0, 20.0, 22.0]
    assert _categories(page.categories_view.chart(), Qt.Orientation.Vertical) == [
        "Uncategorised", "Bread"]
    assert page.heatmap_model.sales(6, 0) == 2  # Sunday 00h: the order and sale C
    assert page.heatmap_model.sales(5, 23) == 1  # Saturday 23h: sale A
    assert "Timed out</td><td align='right'>1" in page.funnel.text()
    assert "Average prep time</td><td align='right'>20 min" in page.funnel.text()
    assert "Voided lines</b> 1" in page.kpis.text()


def test_export_csv_is_the_report_and_pdf_is_written(
    page: AnalyticsPage, qtbot: QtBot, tmp_path: Path, db_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with qtbot.waitSignal(page.loaded):
        page.set_range(date(2026, 3, 28), date(2026, 4, 2), "day")
    target = tmp_path / "sales.csv"
    with qtbot.waitSignal(page.exported):
        page.export_csv(target)
    assert target.read_text(encoding="utf-8") == _cli(
        capsys, db_path, "--from", "2026-03-28", "--to", "2026-04-02", "--by", "day")
    pdf = tmp_path / "analytics.pdf"
    with qtbot.waitSignal(page.exported):
        page.export_pdf(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000


def test_an_end_before_the_start_is_refused_without_loading(page: AnalyticsPage) -> None:
    page.set_range(date(2026, 4, 2), date(2026, 4, 1))
    assert "ends before it starts" in page.status.text()


def _luminance(color: QColor) -> float:
    return 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF()


def test_dark_theme_redraws_readable_charts(page: AnalyticsPage, qtbot: QtBot,
                                            qapp: QApplication) -> None:
    apply_theme(qapp, "light")
    qtbot.waitUntil(lambda: page.sales_view.chart().theme() == QChart.ChartTheme.ChartThemeLight)
    try:
        apply_theme(qapp, "dark")
        qtbot.waitUntil(
            lambda: page.sales_view.chart().theme() == QChart.ChartTheme.ChartThemeDark)
        chart = page.sales_view.chart()
        assert _luminance(chart.backgroundBrush().color()) < 0.3
        assert _luminance(chart.titleBrush().color()) > 0.7  # light text on the dark chart
        empty = page.heatmap_model.index(0, 3)  # Monday 03h: nothing sold
        assert _luminance(page.heatmap_model.data(empty, Qt.ItemDataRole.BackgroundRole)) < 0.3
    finally:
        apply_theme(qapp, "light")


def test_the_analytics_page_of_the_window_opens_once_the_core_is(history: ShopFixture,
                                                                  qtbot: QtBot) -> None:
    from dataclasses import dataclass

    from ui.pages.analytics import create_page
    from ui.pages.core_host import CoreHost
    from ui.sell.context import forget_core, publish_core
    from vendor_console.settings import Settings

    @dataclass
    class Core:  # what the window's start-up publishes: the open database (AppCore's fields)
        db: object
        settings: object
        signed_in: object = None

    host = create_page()
    assert isinstance(host, CoreHost)
    qtbot.addWidget(host)
    assert host.content is None and "Opening" in host.waiting.text()
    publish_core(Core(history.db, Settings(history.db)))  # type: ignore[arg-type]
    try:
        host.show_status(None)
        shown = host.content
        assert isinstance(shown, AnalyticsPage)
        qtbot.waitUntil(lambda: shown.dashboard is not None)
    finally:
        forget_core()
