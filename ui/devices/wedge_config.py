"""The keyboard-wedge settings (Settings › Devices) as the Sell screen's recogniser config."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.wedge import WedgeConfig
from vendor_console.devices.device_settings import DeviceSettings

_SUFFIX_KEYS: dict[str, tuple[Qt.Key, ...]] = {
    "enter": (Qt.Key.Key_Return, Qt.Key.Key_Enter),
    "tab": (Qt.Key.Key_Tab,),
    "enter_or_tab": (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab),
}


def wedge_config(values: DeviceSettings) -> WedgeConfig:
    return WedgeConfig(max_gap_ms=values.wedge_max_gap_ms, min_length=values.wedge_min_length,
                       suffix_keys=_SUFFIX_KEYS[values.wedge_suffix], prefix=values.wedge_prefix)
