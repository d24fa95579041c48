"""A page that is not built yet: says plainly what will be there. No sample figures."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(
        self,
        *,
        heading: str,
        purpose: str,
        features: Sequence[str],
        arriving_with: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("placeholder", True)

        title = QLabel(heading, self)
        title.setObjectName("pageHeading")
        title.setAccessibleName(heading)

        lead = QLabel(purpose, self)
        lead.setObjectName("pageLead")
        lead.setWordWrap(True)

        items = "".join(f"<li>{_escape(feature)}</li>" for feature in features)
        feature_list = QLabel(f"<ul>{items}</ul>", self)
        feature_list.setObjectName("placeholderFeatures")
        feature_list.setTextFormat(Qt.TextFormat.RichText)
        feature_list.setWordWrap(True)

        note = QLabel(f"Not built yet — coming with {arriving_with}.", self)
        note.setObjectName("placeholderNote")
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(lead)
        layout.addWidget(feature_list)
        layout.addWidget(note)
        layout.addStretch(1)
        self._features = tuple(features)

    def features(self) -> tuple[str, ...]:
        return self._features


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
