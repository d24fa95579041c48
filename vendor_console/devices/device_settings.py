"""Scanner and customer-display settings, declared once in the settings registry.

Printers have their own table (``printers``); these are the few per-till choices around them:
the keyboard-wedge recogniser (shared by the Sell screen), a serial scanner's port and the
customer display. :class:`DeviceSettings` reads and writes them as one plain record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from local_db.writer import Tx
from vendor_console.devices.device_writes import write_all_or_nothing
from vendor_console.devices.display import DisplayProfile, show
from vendor_console.devices.transports import open_transport
from vendor_console.errors import ValidationError
from vendor_console.settings import Settings, SettingSpec, declare, store

WEDGE_SUFFIXES = ("enter", "tab", "enter_or_tab")
DISPLAY_SETS = ("none", "escpos", "cd5220")

WEDGE_PREFIX = declare(SettingSpec("scanner.wedge_prefix", str, "",
                                   "Scanner prefix characters (stripped from each scan)"))
WEDGE_SUFFIX = declare(SettingSpec("scanner.wedge_suffix", str, "enter_or_tab",
                                   "Key the scanner sends after each code",
                                   choices=WEDGE_SUFFIXES))
WEDGE_MAX_GAP_MS = declare(SettingSpec("scanner.wedge_max_gap_ms", int, 50,
                                       "Longest pause between two keys of one scan (ms)",
                                       minimum=5))
WEDGE_MIN_LENGTH = declare(SettingSpec("scanner.wedge_min_length", int, 4,
                                       "Shortest code that counts as a scan", minimum=1))
SERIAL_SCANNER_PORT = declare(SettingSpec("scanner.serial_port", str, "",
                                          "Serial scanner port (empty: none)"))
SERIAL_SCANNER_BAUD = declare(SettingSpec("scanner.serial_baud", int, 9600,
                                          "Serial scanner speed (baud)", minimum=1200))
DISPLAY_COMMAND_SET = declare(SettingSpec("display.command_set", str, "none",
                                          "Customer display commands", choices=DISPLAY_SETS))
DISPLAY_URL = declare(SettingSpec("display.url", str, "",
                                  "Customer display port (serial:///dev/ttyUSB1?baud=9600)"))
SECOND_SCREEN = declare(SettingSpec("display.second_screen", bool, False,
                                    "Show the last item and total on a second screen"))


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    wedge_prefix: str = ""
    wedge_suffix: str = "enter_or_tab"
    wedge_max_gap_ms: int = 50
    wedge_min_length: int = 4
    scanner_port: str = ""
    scanner_baud: int = 9600
    display_command_set: str = "none"
    display_url: str = ""
    second_screen: bool = False

    def display_profile(self) -> DisplayProfile | None:
        if self.display_command_set == "none" or not self.display_url:
            return None
        return DisplayProfile(url=self.display_url, command_set=self.display_command_set,
                              code_page=19 if self.display_command_set == "escpos" else None,
                              codec="cp858" if self.display_command_set == "escpos"
                              else "ascii")

    def validated(self) -> DeviceSettings:
        pairs = ((WEDGE_PREFIX, self.wedge_prefix), (WEDGE_SUFFIX, self.wedge_suffix),
                 (WEDGE_MAX_GAP_MS, self.wedge_max_gap_ms),
                 (WEDGE_MIN_LENGTH, self.wedge_min_length),
                 (SERIAL_SCANNER_PORT, self.scanner_port),
                 (SERIAL_SCANNER_BAUD, self.scanner_baud),
                 (DISPLAY_COMMAND_SET, self.display_command_set),
                 (DISPLAY_URL, self.display_url), (SECOND_SCREEN, self.second_screen))
        for spec, value in pairs:
            spec.coerce(value)
        if self.display_command_set != "none":
            if not self.display_url:
                raise ValidationError("The customer display needs a port, e.g. "
                                      "serial:///dev/ttyUSB1?baud=9600.", field="display_url")
            try:
                open_transport(self.display_url)
            except ValueError as exc:
                raise ValidationError(str(exc), field="display_url") from exc
            profile = self.display_profile()
            assert profile is not None
            show(profile, "", "")
        return self


def load(settings: Settings) -> DeviceSettings:
    return DeviceSettings(
        settings.get(WEDGE_PREFIX), settings.get(WEDGE_SUFFIX), settings.get(WEDGE_MAX_GAP_MS),
        settings.get(WEDGE_MIN_LENGTH), settings.get(SERIAL_SCANNER_PORT),
        settings.get(SERIAL_SCANNER_BAUD), settings.get(DISPLAY_COMMAND_SET),
        settings.get(DISPLAY_URL), settings.get(SECOND_SCREEN))


def save(settings: Settings, values: DeviceSettings,
         also: Callable[[Tx], None] | None = None) -> DeviceSettings:
    """Check everything first, then store all of it in one transaction: bad input or a
    refused write changes nothing (``DeviceSaveFailed`` says so)."""
    values = values.validated()
    pairs: tuple[tuple[SettingSpec[Any], Any], ...] = ((WEDGE_PREFIX, values.wedge_prefix),
                        (WEDGE_SUFFIX, values.wedge_suffix),
                        (WEDGE_MAX_GAP_MS, values.wedge_max_gap_ms),
                        (WEDGE_MIN_LENGTH, values.wedge_min_length),
                        (SERIAL_SCANNER_PORT, values.scanner_port),
                        (SERIAL_SCANNER_BAUD, values.scanner_baud),
                        (DISPLAY_COMMAND_SET, values.display_command_set),
                        (DISPLAY_URL, values.display_url), (SECOND_SCREEN, values.second_screen))
    def write(tx: Tx) -> None:
        for spec, value in pairs:
            store(tx, spec, value)
        if also is not None:
            also(tx)  # the audit entry, in the same transaction

    write_all_or_nothing(settings.db, "The scanner and display settings were not saved",
                         write)
    return values
