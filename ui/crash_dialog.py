"""The crash dialog: a bug happened; here is a copyable report and where the log is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.crash_report import CrashReport

SHOWN_REPORTS = 20  # the latest ones; all of them are in the log file


class CrashDialog(QDialog):
    """Non-blocking: show it with ``open()``, never ``exec()``."""

    def __init__(self, report: CrashReport, parent: QWidget | None = None) -> None:
        super().__init__(parent or QApplication.activeWindow())
        self.setObjectName("crashDialog")
        self.setWindowTitle("Vendor Console — something went wrong")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumSize(640, 420)
        self._reports: list[CrashReport] = []

        self._intro = QLabel(self)
        self._intro.setObjectName("crashIntro")
        self._intro.setWordWrap(True)
        self._intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._details = QPlainTextEdit(self)
        self._details.setObjectName("crashReport")
        self._details.setReadOnly(True)
        self._details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        buttons = QDialogButtonBox(self)
        self._copy_button = QPushButton("Copy report", self)
        self._copy_button.setObjectName("crashCopy")
        buttons.addButton(self._copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close_button.setDefault(True)
        self._copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self._details, 1)
        layout.addWidget(buttons)
        self.add_report(report)

    def add_report(self, report: CrashReport) -> None:
        """A second error while the dialog is open is appended rather than opening another."""
        self._reports.append(report)
        count = len(self._reports)
        del self._reports[:-SHOWN_REPORTS]
        what = "A problem" if count == 1 else f"{count} problems"
        self._intro.setText(
            f"<b>{what} inside Vendor Console stopped what you were doing.</b><br>"
            "This is a fault in the program, not something you did. "
            "The details below were also written to the log file:<br>"
            f"<code>{_escape(str(report.log_path))}</code><br>"
            "Use <i>Copy report</i> and send it to whoever supports your till."
        )
        separator = "\n\n" + "-" * 72 + "\n\n"
        self._details.setPlainText(separator.join(r.text for r in self._reports))

    def report_text(self) -> str:
        return self._details.toPlainText()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self._copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
