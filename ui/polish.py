"""Dynamic QSS properties (``[level="error"]``, ``[state="problem"]``) that restyle at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a property the stylesheet selects on, re-polishing only if that is needed.

    A widget that has not been polished yet picks the value up when it is first shown, so
    start-up code never touches ``QStyle`` (whose wrapper is costly to create in PySide).
    """
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
