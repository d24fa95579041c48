"""Analytics page styling on top of the app theme: tables, pickers and figures that read in
light and dark (the app theme styles the shell, not item views or pickers)."""

from __future__ import annotations

# "page" is the app theme's window colour, so a grab of the page (PDF export) looks as shown.
COLOURS = {
    "light": {"page": "#f5f6f8", "base": "#ffffff", "text": "#1b1f27", "line": "#d0d5dd",
              "muted": "#5b6474", "header": "#f2f4f7", "accent": "#1f5fd6"},
    "dark": {"page": "#15171c", "base": "#1e2128", "text": "#e6e9ef", "line": "#343944",
             "muted": "#a3abb9", "header": "#262a33", "accent": "#4c8dff"},
}

_TEMPLATE = """
QScrollArea#analyticsScroll, QWidget#analyticsContent, QChartView {{
    background: {page}; border: none;
}}
QTableView, QComboBox, QDateEdit {{
    background: {base}; color: {text}; border: 1px solid {line}; border-radius: 6px;
    gridline-color: {line}; selection-background-color: {accent};
}}
QComboBox QAbstractItemView {{ background: {base}; color: {text}; }}
QHeaderView::section {{
    background: {header}; color: {muted}; border: none; border-bottom: 1px solid {line};
    padding: 3px 6px;
}}
QTableView#heatmap {{ font-size: 9pt; }}
QLabel#analyticsKpis, QLabel#analyticsFunnel {{ color: {text}; font-size: 12pt; }}
QLabel#sectionTitle {{ color: {text}; font-weight: 600; }}
"""


def analytics_stylesheet(dark: bool) -> str:
    return _TEMPLATE.format(**COLOURS["dark" if dark else "light"])
