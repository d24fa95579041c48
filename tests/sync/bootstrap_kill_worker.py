"""A till process whose first sync dies (SIGKILL, no cleanup) right after the bootstrap's
first listing page is committed: the state a crash mid-bootstrap leaves behind.

    python -m tests.sync.bootstrap_kill_worker DB_PATH SERVER_URL
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from local_db.database import Database
from local_db.rawsql import dbapi
from sync.client import ApiClient, api_base
from sync.engine import SyncEngine
from sync.keystore import TokenStore, account_for


def _die(_rows: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main(db_path: Path, url: str) -> None:
    db = Database.open(db_path)
    with db.read() as conn:
        shop_id = dbapi(conn).execute("SELECT id FROM shop").fetchone()[0]
    engine = SyncEngine(db, ApiClient(url, TokenStore(account_for(api_base(url), shop_id))))
    engine.puller.on_rows = _die  # called after each committed page
    await engine.pull()
    raise SystemExit("the bootstrap finished without being killed")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
