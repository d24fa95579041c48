"""The sync service: what the CLI and the window use (no Qt here).

It reads the marketplace address from settings, keeps tokens in the keyring, owns the client
and the engine, and runs them on whichever asyncio loop it is started on (qasync in the app).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from local_db.database import Database
from local_db.rawsql import dbapi
from local_db.types import format_utc, utc_now
from local_db.writer import Tx
from sync import outbox_store
from sync.client import ApiClient, ApiError, NetworkError, api_base
from sync.engine import OnceResult, SyncEngine
from sync.keystore import TokenStore, account_for
from sync.status import DeadLetter, Issue, SyncStatus, dead_letters, open_issues
from vendor_console.errors import ValidationError
from vendor_console.permissions import Actor
from vendor_console.services.unsynced import unsynced_sales
from vendor_console.settings import MARKETPLACE_URL, SYNC_ENABLED, Settings

log = logging.getLogger(__name__)


def _shop_id(db: Database) -> str:
    with db.read() as conn:
        row = dbapi(conn).execute("SELECT id FROM shop").fetchone()
    return str(row[0]) if row else "no-shop"


class SyncService:
    def __init__(self, db: Database, settings: Settings, *,
                 engine_options: dict[str, Any] | None = None) -> None:
        self.db = db
        self.settings = settings
        self._options = engine_options or {}
        self._engine: SyncEngine | None = None
        self._task: asyncio.Task[None] | None = None
        self.on_status: Callable[[], None] | None = None

    # -- configuration ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return str(self.settings.get(MARKETPLACE_URL))

    def store(self, base_url: str | None = None) -> TokenStore:
        return TokenStore(account_for(api_base(base_url or self.base_url), _shop_id(self.db)))

    @property
    def paired(self) -> bool:
        return bool(self.base_url) and self.store().load() is not None

    def engine(self) -> SyncEngine:
        if self._engine is None:
            if not self.base_url:
                raise ValidationError("Pair this till with a marketplace first "
                                      "(Settings → Marketplace, or `vendor-console sync pair`).")
            client = ApiClient(self.base_url, self.store())
            self._engine = SyncEngine(self.db, client, **self._options)
        return self._engine

    async def pair(self, url: str, *, api_key: str | None = None,
                   pairing_code: str | None = None, device_name: str = "Vendor Console") -> str:
        """Sign this till in as a device; the tokens go to the keyring, the address to
        settings. Returns the vendor id. Bad input changes nothing."""
        url = url.strip()
        if not url.startswith(("http://", "https://")):
            raise ValidationError("The marketplace address must start with https:// "
                                  "(or http:// for a local sandbox).", field="url")
        if not (api_key or pairing_code):
            raise ValidationError("Enter the vendor API key or a pairing code.", field="key")
        store = await asyncio.to_thread(self.store, url)
        client = ApiClient(url, store)
        try:
            tokens = await client.pair(api_key=api_key, pairing_code=pairing_code,
                                       device_name=device_name)
        except ApiError as exc:
            raise ValidationError(f"The marketplace refused to pair this till: "
                                  f"{exc.problem.detail}", field="key") from exc
        except NetworkError as exc:
            raise ValidationError(f"The marketplace could not be reached at {url} ({exc}).",
                                  field="url") from exc
        finally:
            await client.aclose()
        await asyncio.to_thread(self.settings.set, MARKETPLACE_URL, api_base(url))
        await asyncio.to_thread(self.settings.set, SYNC_ENABLED, True)
        await self.aclose()
        return tokens.vendor_id

    # -- running ------------------------------------------------------------------------------
    async def sync_once(self, **kwargs: Any) -> OnceResult:
        return await self.engine().sync_once(**kwargs)

    async def run(self) -> None:
        await self.engine().run()

    def start(self) -> asyncio.Task[None]:
        """Start keeping in sync on the running loop (the qasync loop in the app)."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self.engine().run())
        return self._task

    def sync_now(self) -> None:
        if self._engine is not None:
            self._engine.wake()
            self._engine._want_push()

    async def stop(self, grace_s: float = 5.0) -> None:
        """Cancel the running engine and wait (at most ``grace_s``) for it to wind down; a
        clean-up that hangs (a stream that will not close) must not hang sign-out or quit."""
        if self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=grace_s)
            for finished in done:  # retrieve its outcome (it was cancelled, or failed)
                if not finished.cancelled():
                    finished.exception()
            if not done:
                log.warning("sync engine still winding down after %.0f s; closing anyway",
                            grace_s)

    async def aclose(self) -> None:
        await self.stop()
        if self._engine is not None:
            await self._engine.client.aclose()
            self._engine = None

    # -- what the user sees and does (blocking: call from a worker) ---------------------------
    def status(self) -> SyncStatus:
        if not self.base_url:
            return SyncStatus(paired=False)
        engine = self.engine()
        return engine.status(paired=engine.client.paired)

    def dead_letters(self) -> list[DeadLetter]:
        with self.db.read() as conn:
            return dead_letters(dbapi(conn))

    def issues(self) -> list[Issue]:
        with self.db.read() as conn:
            return open_issues(dbapi(conn))

    def retry(self, row_id: str) -> None:
        self._write(lambda conn: outbox_store.retry_dead(conn, row_id))

    def discard(self, row_id: str) -> None:
        self._write(lambda conn: outbox_store.discard_dead(conn, row_id))

    async def sign_out(self) -> None:
        """Forget this till's marketplace tokens ("reset this device"). Refused while counter
        sales have not reached the marketplace: they would never get there."""
        waiting = (await asyncio.to_thread(unsynced_sales, self.db)).total
        if waiting:
            raise ValidationError(f"{waiting} counter sale(s) have not reached the marketplace "
                                  "yet. Sync them (or retry the ones that need attention) "
                                  "before signing out.")
        await self.aclose()
        await asyncio.to_thread(self.store().clear)
        await asyncio.to_thread(self.settings.set, SYNC_ENABLED, False)

    def keep_mine(self, actor: Actor, issue_id: str) -> None:
        """Settle a catalog conflict with this till's values: they are sent again, on top of
        the marketplace's current version."""
        from sync.conflict_choice import keep_mine_on_category, keep_mine_on_product

        issue = next((i for i in self.issues() if i.id == issue_id), None)
        if issue is None or issue.kind != "conflict":
            raise ValidationError("That conflict is already settled.")
        fields = issue.details.get("fields", {})
        if issue.resource_type == "category":
            keep_mine_on_category(self.db, issue.resource_id, fields)
        else:
            keep_mine_on_product(self.db, actor, issue.resource_id, fields)
        self.resolve_issue(issue_id)

    def resolve_issue(self, issue_id: str) -> None:
        now = format_utc(utc_now())
        self._write(lambda conn: conn.execute(
            "UPDATE sync_issues SET resolved_at = ? WHERE id = ?", (now, issue_id)))

    def _write(self, fn: Callable[[Any], object]) -> None:
        def write(tx: Tx) -> None:
            fn(dbapi(tx.conn))
            tx.changed("outbox")
            tx.changed("sync")

        self.db.write(write)
        self.sync_now()
