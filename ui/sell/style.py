"""Counter styling on top of the app theme: big totals, readable tables in light and dark."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.theme import current_theme

_COLOURS = {
    "light": {"base": "#ffffff", "text": "#1b1f27", "line": "#d0d5dd", "muted": "#5b6474",
              "accent": "#1f5fd6", "accent_text": "#ffffff", "problem": "#b42318",
              "header": "#f2f4f7"},
    "dark": {"base": "#1e2128", "text": "#e6e9ef", "line": "#343944", "muted": "#a3abb9",
             "accent": "#4c8dff", "accent_text": "#0b1020", "problem": "#ff8a80",
             "header": "#262a33"},
}

_TEMPLATE = """
QTableView, QListWidget, QLineEdit, QPlainTextEdit, QComboBox, QTableWidget {{
    background: {base}; color: {text}; border: 1px solid {line}; border-radius: 6px;
    selection-background-color: {accent}; selection-color: {accent_text};
}}
QTableView#cartTable {{ font-size: 15pt; gridline-color: {line}; }}
QHeaderView::section {{
    background: {header}; color: {muted}; border: none; border-bottom: 1px solid {line};
    padding: 4px 8px; font-size: 11pt;
}}
QListWidget#searchResults {{ font-size: 13pt; }}
QLineEdit#searchBox, QLineEdit#pinEntry {{ font-size: 16pt; padding: 4px 10px; }}
QLabel#bigTotal {{ font-size: 30pt; font-weight: 700; color: {text}; }}
QLabel#remaining {{ font-size: 18pt; color: {text}; }}
QLabel#staffLabel {{ font-size: 12pt; color: {muted}; }}
QLabel#counterNotice {{ font-size: 13pt; color: {text}; }}
QLabel#problemText {{ font-size: 13pt; color: {problem}; }}
QWidget#totalsPanel QLabel {{ font-size: 13pt; }}
QWidget#totalsPanel QLabel#bigTotal {{ font-size: 30pt; }}
QWidget#sellScreen QPushButton, QDialog QPushButton {{
    font-size: 12pt; min-height: 56px; padding: 0 4px;
}}
QWidget#signInScreen QPushButton, QWidget#pinPad QPushButton {{
    font-size: 14pt; min-height: 60px; padding: 0 8px;
}}
QPushButton#primary {{ background: {accent}; color: {accent_text}; font-weight: 600; }}
"""


def counter_stylesheet(theme: str | None = None) -> str:
    if theme is None:
        app = QApplication.instance()
        theme = current_theme(app) if isinstance(app, QApplication) else None
    return _TEMPLATE.format(**_COLOURS["dark" if theme == "dark" else "light"])
