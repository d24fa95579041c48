"""QtCharts built from the report tables the terminal prints (the same numbers, drawn)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor

from vendor_console.money import minor_digits
from vendor_console.services.analytics_report import ReportTable

CHANNEL_TITLES = {"counter": "Counter", "marketplace": "Marketplace"}
CHANNEL_COLORS = {"counter": "#3b82f6", "marketplace": "#f59e0b"}
MAX_PERIOD_LABELS = 31  # more bars than this: the axis shows the span, not every date


def major(amount_minor: int, currency: str) -> float:
    """Minor units as the float a chart axis needs (display only; money stays integer)."""
    return int(amount_minor) / 10 ** minor_digits(currency)


def themed(chart: QChart, dark: bool) -> QChart:
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def sales_chart(table: ReportTable, *, dark: bool) -> QChart:
    """Net sales per period, stacked by channel."""
    periods: list[str] = []
    values: dict[str, list[float]] = {c: [] for c in CHANNEL_TITLES}
    for period, channel, *_rest, net in table.rows:
        if not periods or periods[-1] != period:
            periods.append(period)
        values[channel].append(major(net, table.currency))
    chart = themed(QChart(), dark)
    chart.setTitle(f"Net sales by {table.by} ({table.currency})")
    series = QStackedBarSeries()
    for channel, title in CHANNEL_TITLES.items():
        bar_set = QBarSet(title)
        bar_set.setObjectName(channel)
        bar_set.append(values[channel])
        bar_set.setColor(QColor(CHANNEL_COLORS[channel]))
        series.append(bar_set)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(periods)
    axis_x.setTruncateLabels(False)
    if len(periods) > 8:
        axis_x.setLabelsAngle(-60)
    if len(periods) > MAX_PERIOD_LABELS:  # too many to read: say the span instead
        axis_x.setLabelsVisible(False)
        axis_x.setTitleText(f"{periods[0]} … {periods[-1]}")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = QValueAxis()
    axis_y.setLabelFormat("%.0f")
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    _fit(axis_y, [a + b for a, b in zip(values["counter"], values["marketplace"], strict=True)])
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def ranking_chart(title: str, names: Sequence[str], amounts: Sequence[int], currency: str, *,
                  dark: bool) -> QChart:
    """Horizontal bars, best at the top."""
    chart = themed(QChart(), dark)
    chart.setTitle(title)
    chart.legend().hide()
    series = QHorizontalBarSeries()
    bar_set = QBarSet("net")
    bar_set.append([major(a, currency) for a in reversed(amounts)])
    bar_set.setColor(QColor(CHANNEL_COLORS["counter"]))
    series.append(bar_set)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append([_short(n) for n in reversed(names)])
    axis_y.setTruncateLabels(False)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    axis_x = QValueAxis()
    axis_x.setLabelFormat("%.0f")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    _fit(axis_x, [major(a, currency) for a in amounts])
    return chart


def _fit(axis: QValueAxis, values: Sequence[float]) -> None:
    low = min([0.0, *values])
    high = max([0.0, *values])
    axis.setRange(low, high if high > low else low + 1)
    axis.applyNiceNumbers()


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
