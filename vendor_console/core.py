"""The application core: one open shop database and the services over it. No Qt."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from local_db.database import Database
from local_db.migrate import HEAD_REVISION
from local_db.tables import products, staff
from vendor_console.paths import DataPaths
from vendor_console.permissions import Actor
from vendor_console.services.shop import ShopInfo, get_shop
from vendor_console.settings import MARKETPLACE_URL, SYNC_ENABLED, Settings
from vendor_console.status import DatabaseStatus, ShellStatus


@dataclass
class AppCore:
    paths: DataPaths
    db: Database
    settings: Settings
    signed_in: Actor | None = None
    sync_status_text: str | None = None  # set by the running sync (the window's status bar)
    _shop: ShopInfo | None = field(default=None, repr=False)

    @classmethod
    def open(cls, paths: DataPaths) -> AppCore:
        paths.ensure()
        db = Database.open(paths.database, backup_dir=paths.backups)
        return cls(paths, db, Settings(db))

    def shop(self) -> ShopInfo | None:
        if self._shop is None:
            with self.db.read() as conn:
                self._shop = get_shop(conn)
        return self._shop

    def forget_cached_shop(self) -> None:
        self._shop = None

    def counts(self) -> dict[str, int]:
        """Row counts for ``db info`` (scans: not for the UI thread)."""
        with self.db.read() as conn:
            return {
                "products": conn.execute(select(func.count()).select_from(products).where(
                    products.c.archived_at.is_(None))).scalar_one(),
                "staff": conn.execute(select(func.count()).select_from(staff)).scalar_one(),
            }

    def shell_status(self) -> ShellStatus:
        """No scans: called on the UI thread (one small read of settings)."""
        shop = self.shop()
        database = DatabaseStatus(
            path=str(self.db.path), ok=True,
            message=f"{self.db.path.name} · schema {HEAD_REVISION.split('_')[0]} · WAL",
        )
        if self.sync_status_text is not None:
            sync = self.sync_status_text
        elif not self.settings.get(SYNC_ENABLED) or not self.settings.get(MARKETPLACE_URL):
            sync = "Marketplace not connected"
        else:
            sync = "Marketplace sync configured (not running yet)"
        return ShellStatus(
            shop_name=shop.name if shop else "New shop (not set up)",
            currency=shop.currency if shop else "",
            database=database,
            sync=sync,
            printer="No printer configured",
            staff_name=self.signed_in.name if self.signed_in else None,
            staff_role=self.signed_in.role if self.signed_in else None,
        )

    def close(self) -> None:
        self.db.close()
