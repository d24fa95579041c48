"""Find bundled resources and apply the light or dark stylesheet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

ThemeName = Literal["light", "dark"]
THEMES: tuple[ThemeName, ...] = get_args(ThemeName)

# Remembered on the application object so a page can tell which theme is showing.
_THEME_PROPERTY = "vendorConsoleTheme"


def resources_dir() -> Path:
    """The ``resources/`` folder, in a source checkout or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def theme_path(name: ThemeName) -> Path:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
    return resources_dir() / "themes" / f"{name}.qss"


def load_stylesheet(name: ThemeName) -> str:
    """The QSS text of a theme. Raises ``FileNotFoundError`` if the bundle lacks it."""
    return theme_path(name).read_text(encoding="utf-8")


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name


def system_theme(app: QApplication) -> ThemeName:
    """The theme matching the operating system's light/dark setting (light when unknown)."""
    from PySide6.QtCore import Qt

    scheme = app.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, name: ThemeName) -> ThemeName:
    """Style the whole application with one of the bundled themes."""
    app.setStyleSheet(load_stylesheet(name))
    app.setProperty(_THEME_PROPERTY, name)
    return name


def current_theme(app: QApplication) -> ThemeName | None:
    value = app.property(_THEME_PROPERTY)
    for name in THEMES:
        if value == name:
            return name
    return None
