"""Analytics: how the shop is doing, from local data (works offline).

Every figure comes from ``load_dashboard`` on a worker thread (rollup reads, never on the GUI
thread); the charts draw the same report tables ``vendor-console report sales`` prints.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QDate, QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.analytics.charts import ranking_chart, sales_chart
from ui.analytics.models import HeatmapModel, RecordsModel
from ui.analytics.style import analytics_stylesheet
from ui.theme import current_theme
from ui.workers import run_in_background
from vendor_console.money import format_money
from vendor_console.quantities import QTY_SCALE
from vendor_console.services.analytics_dashboard import AnalyticsService, Dashboard
from vendor_console.services.analytics_range import DateRange, Period
from vendor_console.services.analytics_report import WEEKDAYS, to_csv

PRESETS: tuple[tuple[str, int], ...] = (("Last 7 days", 7), ("Last 28 days", 28),
                                        ("Last 90 days", 90), ("Last 12 months", 365),
                                        ("Last 2 years", 730), ("Custom range", 0))
PERIODS: tuple[tuple[str, Period], ...] = (("By day", "day"), ("By week", "week"),
                                           ("By month", "month"))
TOP = 10


class AnalyticsPage(QWidget):
    loaded = Signal()  # a dashboard was drawn
    exported = Signal(str)  # a file was written
    failed = Signal(str)

    def __init__(self, service: AnalyticsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restyle_timer = QTimer(self, singleShot=True, interval=0)
        self._restyle_timer.timeout.connect(self._redraw)
        self._service = service
        self._generation = 0
        self._today: date | None = None
        self.dashboard: Dashboard | None = None

        self.preset = QComboBox(self)
        self.preset.setAccessibleName("Date range")
        for title, _days in PRESETS:
            self.preset.addItem(title)
        self.preset.setCurrentIndex(1)
        self.start_edit = self._date_edit("From")
        self.end_edit = self._date_edit("To")
        self.period = QComboBox(self)
        self.period.setAccessibleName("Group sales")
        for title, _key in PERIODS:
            self.period.addItem(title)
        self.export_csv_button = QPushButton("Export CSV…", self)
        self.export_pdf_button = QPushButton("Export PDF…", self)
        self.status = QLabel("Loading…", self)
        self.status.setObjectName("pageLead")
        self._styled_dark: bool | None = None
        self._style(self.is_dark())
        bar = self._toolbar()
        scroll = self._build_content()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

        self.preset.activated.connect(self._preset_chosen)
        self.period.activated.connect(lambda _i: self.refresh())
        self.start_edit.editingFinished.connect(self._dates_edited)
        self.end_edit.editingFinished.connect(self._dates_edited)
        self.export_csv_button.clicked.connect(self._ask_csv)
        self.export_pdf_button.clicked.connect(self._ask_pdf)
        self._load(None)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        for label, widget in (("Range", self.preset), ("From", self.start_edit),
                              ("To", self.end_edit), ("", self.period)):
            if label:
                caption = QLabel(label, self)
                caption.setBuddy(widget)
                bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_csv_button)
        bar.addWidget(self.export_pdf_button)
        return bar

    def _build_content(self) -> QScrollArea:
        self.content = QWidget()
        self.content.setObjectName("analyticsContent")
        grid = QGridLayout(self.content)
        grid.setSpacing(12)
        self.kpis = QLabel(self.content)
        self.kpis.setObjectName("analyticsKpis")
        self.kpis.setTextFormat(Qt.TextFormat.RichText)
        self.kpis.setWordWrap(True)
        self.sales_view = self._chart_view(320)
        self.products_view = self._chart_view(300)
        self.categories_view = self._chart_view(300)
        self.heatmap_model = HeatmapModel(self)
        self.heatmap = QTableView(self.content)
        self.heatmap.setObjectName("heatmap")
        self.heatmap.setModel(self.heatmap_model)
        self.heatmap.setAccessibleName("Sales by weekday and hour")
        self.heatmap.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heatmap.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heatmap.setMinimumHeight(240)
        self.funnel = QLabel(self.content)
        self.funnel.setObjectName("analyticsFunnel")
        self.funnel.setTextFormat(Qt.TextFormat.RichText)
        self.funnel.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.low_stock_model = RecordsModel(("Low stock", "SKU", "On hand", "Threshold"), (2, 3))
        self.sell_through_model = RecordsModel(("Product", "Sold", "On hand", "Sell-through"),
                                               (1, 2, 3))
        self.trend_model = RecordsModel(("Product", "Score", "Per day, 14 d",
                                         "Per day, 28 d before", "Price position", "Rating"),
                                        (1, 2, 3, 4, 5))
        grid.addWidget(self.kpis, 0, 0, 1, 2)
        grid.addWidget(self.sales_view, 1, 0, 1, 2)
        grid.addWidget(self.products_view, 2, 0)
        grid.addWidget(self.categories_view, 2, 1)
        grid.addWidget(self._titled("Busiest times (sales per weekday and hour)", self.heatmap),
                       3, 0, 1, 2)
        grid.addWidget(self._titled("Online orders", self.funnel), 4, 0)
        grid.addWidget(self._table("Low stock", self.low_stock_model), 4, 1)
        grid.addWidget(self._table("Sell-through", self.sell_through_model), 5, 0)
        grid.addWidget(self._table("Trending products", self.trend_model), 5, 1)
        scroll = QScrollArea(self)
        scroll.setObjectName("analyticsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.content)
        return scroll

    # -- what the user picks ---------------------------------------------------------------
    def set_range(self, start: date, end: date, period: Period | None = None) -> None:
        self.preset.setCurrentIndex(len(PRESETS) - 1)
        self.start_edit.setDate(QDate(start.year, start.month, start.day))
        self.end_edit.setDate(QDate(end.year, end.month, end.day))
        if period is not None:
            self.period.setCurrentIndex([k for _t, k in PERIODS].index(period))
        self.refresh()

    def current_period(self) -> Period:
        return PERIODS[self.period.currentIndex()][1]

    def refresh(self) -> None:
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        if end < start:
            self.status.setText("The range ends before it starts: pick another end date.")
            return
        self._load(DateRange(start, end))

    def _preset_chosen(self, index: int) -> None:
        days = PRESETS[index][1]
        if days and self._today is not None:
            self.start_edit.setDate(_qdate(self._today - timedelta(days=days - 1)))
            self.end_edit.setDate(_qdate(self._today))
            self.refresh()

    def _dates_edited(self) -> None:
        self.preset.setCurrentIndex(len(PRESETS) - 1)
        self.refresh()

    # -- loading on a worker ---------------------------------------------------------------
    def _load(self, rng: DateRange | None) -> None:
        self._generation += 1
        generation, service, period = self._generation, self._service, self.current_period()
        days = PRESETS[self.preset.currentIndex()][1] or 28

        def work() -> tuple[date, Dashboard]:
            today = service.today()
            chosen = rng or DateRange(today - timedelta(days=days - 1), today)
            return today, service.dashboard(chosen, period)

        def done(result: tuple[date, Dashboard]) -> None:
            if generation == self._generation:  # a newer request supersedes this one
                self._today = result[0]
                self.show_dashboard(result[1])

        self.status.setText("Loading…")
        run_in_background(work, on_success=done, on_failure=self._failed, owner=self)

    def _failed(self, _exc: BaseException, message: str) -> None:
        self.status.setText(message)
        self.failed.emit(message)

    # -- drawing ---------------------------------------------------------------------------
    def show_dashboard(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        rng = dashboard.range
        for edit, day in ((self.start_edit, rng.start), (self.end_edit, rng.end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.status.setText(f"{dashboard.shop_name} · {rng.start:%d %b %Y} – {rng.end:%d %b %Y}"
                            f" · business days in {dashboard.timezone}")
        self._redraw()
        self.loaded.emit()

    def _redraw(self) -> None:
        d = self.dashboard
        if d is None:
            return
        dark = self.is_dark()
        self._style(dark)
        money = self._money
        self._set_chart(self.sales_view, sales_chart(d.over_time, dark=dark))
        top = d.products.rows[:TOP]
        self._set_chart(self.products_view, ranking_chart(
            f"Top products (net, {d.currency})", [r[0] for r in top], [r[3] for r in top],
            d.currency, dark=dark))
        cats = d.categories.rows[:TOP]
        self._set_chart(self.categories_view, ranking_chart(
            f"Top categories (net, {d.currency})", [r[0] for r in cats], [r[2] for r in cats],
            d.currency, dark=dark))
        self.heatmap_model.dark = dark
        self.heatmap_model.set_cells([
            (WEEKDAYS.index(w), h, n, net, f"{w} {h:02d}:00 — {n} sales, {money(net)}")
            for w, h, n, net in d.heatmap.rows])
        channels = {r[0]: r for r in d.channels.rows}
        counter, online = channels["counter"], channels["marketplace"]
        self.kpis.setText(
            f"<b>Net sales</b> {money(counter[5] + online[5])} &nbsp; · &nbsp; "
            f"<b>Counter</b> {money(counter[5])} ({counter[1]} sales, average basket "
            f"{money(counter[6])}) &nbsp; · &nbsp; <b>Marketplace</b> {money(online[5])} "
            f"({online[1]} orders, average basket {money(online[6])})<br>"
            f"<b>Refunds</b> {counter[3]} · {money(counter[4])} &nbsp; · &nbsp; "
            f"<b>Voided lines</b> {counter[7]} · {money(counter[8])}")
        f = d.funnel
        prep = ("—" if f.average_prep_minutes is None
                else f"{f.average_prep_minutes:.0f} min")
        self.funnel.setText(
            f"<table cellpadding='3'><tr><td>Placed</td><td align='right'>{f.placed}</td></tr>"
            f"<tr><td>Accepted</td><td align='right'>{f.accepted}</td></tr>"
            f"<tr><td>Rejected</td><td align='right'>{f.rejected}</td></tr>"
            f"<tr><td>Timed out</td><td align='right'>{f.timed_out}</td></tr>"
            f"<tr><td>Cancelled by customer</td><td align='right'>{f.customer_cancelled}</td></tr>"
            f"<tr><td>Completed</td><td align='right'>{f.completed}</td></tr>"
            f"<tr><td>Average prep time</td><td align='right'>{prep}</td></tr></table>")
        self.low_stock_model.set_rows([(s.name, s.sku or "", _qty(s.on_hand), _qty(s.threshold))
                                       for s in d.low_stock])
        self.sell_through_model.set_rows([(s.name, _qty(s.sold), _qty(s.on_hand),
                                           f"{s.rate:.0%}") for s in d.sell_through])
        self.trend_model.set_rows([(t.name, str(t.score), f"{t.recent_per_day:.1f}",
                                    f"{t.before_per_day:.1f}", f"{t.price_position:.2f}",
                                    _stars(t.average_rating, t.review_count))
                                   for t in d.trends])

    def _style(self, dark: bool) -> None:
        if dark != self._styled_dark:  # setting a style sheet sends StyleChange: only on change
            self._styled_dark = dark
            self.setStyleSheet(analytics_stylesheet(dark))

    def _money(self, amount: int) -> str:
        d = self.dashboard
        assert d is not None
        return format_money(int(amount), d.currency, d.locale)

    def is_dark(self) -> bool:
        app = QApplication.instance()
        return isinstance(app, QApplication) and current_theme(app) == "dark"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self._restyle_timer.start()  # the theme changed: charts follow
        super().changeEvent(event)

    # -- export ----------------------------------------------------------------------------
    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", "sales.csv", "CSV (*.csv)")
        if path:
            self.export_csv(Path(path))

    def _ask_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export PDF", "analytics.pdf",
                                              "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))

    def export_csv(self, path: Path) -> None:
        """The sales-over-time table, exactly as ``vendor-console report sales`` writes it."""
        if self.dashboard is None:
            return
        text = to_csv(self.dashboard.over_time)
        run_in_background(lambda: path.write_text(text, encoding="utf-8"),
                          on_success=lambda _n: self.exported.emit(str(path)),
                          on_failure=self._failed, owner=self)

    def export_pdf(self, path: Path) -> None:
        """The page as it shows now, on A4 landscape pages (painting must stay on the GUI
        thread; no database work happens here)."""
        if self.dashboard is None:
            return
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setResolution(110)
        writer.setTitle(f"{self.dashboard.shop_name} — analytics")
        painter = QPainter(writer)
        try:
            page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
            painter.drawText(page.adjusted(0, 0, 0, -page.height() + 30),
                             Qt.AlignmentFlag.AlignLeft, self.status.text())
            # A picture of the page (QtCharts' gradients do not survive the PDF engine).
            image = self.content.grab()
            scale = min(page.width() / max(1, image.width()), 1.0)
            per_page = int((page.height() - 40) / scale)
            top = 0
            while top < image.height():
                height = min(per_page, image.height() - top)
                target = QRectF(0, 40, image.width() * scale, height * scale)
                painter.drawPixmap(target, image, QRectF(0, top, image.width(), height))
                top += per_page
                if top < image.height():
                    writer.newPage()
        finally:
            painter.end()
        self.exported.emit(str(path))

    # -- building blocks -------------------------------------------------------------------
    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        return edit

    def _chart_view(self, height: int) -> QChartView:
        view = QChartView(self.content)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(height)
        return view

    @staticmethod
    def _set_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget(self.content)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title, box)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addWidget(widget)
        return box

    def _table(self, title: str, model: RecordsModel) -> QWidget:
        view = QTableView(self.content)
        view.setModel(model)
        view.setAccessibleName(title)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.verticalHeader().hide()
        view.setMinimumHeight(200)
        return self._titled(title, view)


def _qty(scaled: int) -> str:
    value = scaled / QTY_SCALE
    return f"{value:.0f}" if value == int(value) else f"{value:.3f}".rstrip("0")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _stars(average: float | None, count: int) -> str:
    return "—" if average is None else f"{average:.1f} ★ ({count})"
