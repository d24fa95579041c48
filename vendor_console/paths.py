"""Where things live: the data folder (database, images, backups, logs) and bundled resources.

The data folder is the platform's user data folder unless ``--data-dir`` (or the
``VENDOR_CONSOLE_DATA_DIR`` environment variable) says otherwise, which gives portable installs
and isolated tests. Nothing user-owned is ever written next to the program.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "VendorConsole"
ENV_DATA_DIR = "VENDOR_CONSOLE_DATA_DIR"


@dataclass(frozen=True, slots=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "shop.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "vendor-console.log"

    def ensure(self) -> DataPaths:
        for folder in (self.root, self.backups, self.images, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | Path | None) -> DataPaths:
    if cli_value:
        return DataPaths(Path(cli_value).expanduser().resolve())
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    return DataPaths(default_data_dir())


def resources_dir() -> Path:
    """Bundled read-only resources (themes, icons, sounds), also inside a frozen build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
