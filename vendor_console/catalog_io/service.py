"""Catalog import and export over an open shop database: the one entry point for the CLI,
the import wizard and the bench."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from pathlib import Path

from local_db.database import Database
from vendor_console.catalog_io.apply import ImportResult, Progress, apply_in_tx, check_permission
from vendor_console.catalog_io.export import export_catalog
from vendor_console.catalog_io.model import ParsedFile
from vendor_console.catalog_io.plan import build_plan
from vendor_console.catalog_io.plan_records import ImportPlan
from vendor_console.catalog_io.reader import read_catalog_file
from vendor_console.errors import NotFound
from vendor_console.permissions import Actor
from vendor_console.services.shop import get_shop


class CatalogTransfer:
    def __init__(self, db: Database) -> None:
        self._db = db

    def currency(self) -> str:
        with self._db.read() as conn:
            shop = get_shop(conn)
        if shop is None:
            raise NotFound("Set up the shop before importing or exporting a catalog.")
        return shop.currency

    def read(self, path: Path) -> ParsedFile:
        return read_catalog_file(Path(path), self.currency())

    def dry_run(self, path: Path, *, locations: Mapping[str, str] | None = None) -> ImportPlan:
        """What importing ``path`` would do; writes nothing. ``locations``: the file's
        location names -> ours."""
        parsed = self.read(path)
        with self._db.read() as conn:
            return build_plan(conn, parsed, locations)

    def apply(
        self, actor: Actor, path: Path, *, skip_bad_rows: bool = False,
        progress: Progress | None = None, cancel: threading.Event | None = None,
        locations: Mapping[str, str] | None = None,
    ) -> ImportResult:
        """Import ``path`` in one transaction: all of it, or all but rejected rows when
        ``skip_bad_rows``. ``progress`` runs on the writer thread; ``cancel`` rolls back."""
        check_permission(actor)
        path = Path(path)
        parsed = self.read(path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._db.write(lambda tx: apply_in_tx(
            tx, parsed, actor, file_sha256=sha, file_name=path.name,
            skip_bad_rows=skip_bad_rows, progress=progress, cancel=cancel, locations=locations))

    def export(self, fmt: str, path: Path) -> int:
        currency = self.currency()
        with self._db.read() as conn:
            return export_catalog(conn, fmt, Path(path), currency)
