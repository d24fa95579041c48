"""``vendor-console sync pair|once|run|status``: sync from a terminal (no Qt).

Only argparse work happens at import (the CLI builds every parser on each start, the window
included): asyncio and the engine load inside the command.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from vendor_console.paths import DataPaths


def add_sync_parser(sub: Any) -> None:
    sync = sub.add_parser("sync", help="sync with the marketplace").add_subparsers(
        dest="sync_cmd", required=True)
    pair = sync.add_parser("pair", help="sign this till in to a marketplace")
    pair.add_argument("--url", required=True, help="the marketplace address")
    key = pair.add_mutually_exclusive_group(required=True)
    key.add_argument("--key", help="the vendor API key (or set VENDOR_CONSOLE_API_KEY)")
    key.add_argument("--code", help="a pairing code from the marketplace dashboard")
    pair.add_argument("--name", default="Vendor Console", help="the device name shown there")
    once = sync.add_parser("once", help="pull and push until both are drained, then exit "
                           "(non-zero if anything is dead-lettered)")
    once.add_argument("--max-wait", type=float, default=120.0, metavar="S",
                      help="longest wait for retries before giving up (default 120 s)")
    sync.add_parser("run", help="keep syncing until interrupted")
    status = sync.add_parser("status", help="pending, dead letters, last success")
    status.add_argument("--json", action="store_true", help="machine-readable output")


def cmd_sync(args: argparse.Namespace, paths: DataPaths) -> int:
    import asyncio
    import logging

    from sync.service import SyncService
    from vendor_console.core import AppCore

    logging.basicConfig(level=os.environ.get("VENDOR_CONSOLE_LOG", "WARNING"),
                        format="%(levelname)s %(name)s: %(message)s")
    core = AppCore.open(paths)
    service = SyncService(core.db, core.settings)
    try:
        return asyncio.run(_dispatch(args, service))
    except KeyboardInterrupt:
        return 130
    finally:
        core.close()


async def _dispatch(args: argparse.Namespace, service: Any) -> int:
    import asyncio
    import json

    from sync.client import ApiError, NetworkError, NotPaired

    try:
        if args.sync_cmd == "pair":
            key = args.key or os.environ.get("VENDOR_CONSOLE_API_KEY")
            vendor = await service.pair(args.url, api_key=key, pairing_code=args.code,
                                        device_name=args.name)
            print(f"Paired with vendor {vendor} at {service.base_url}. "
                  "The device token is in the system keyring.")
            return 0
        if args.sync_cmd == "status":
            status = await asyncio.to_thread(service.status)
            if args.json:
                print(json.dumps(status.to_json(), indent=2))
            else:
                print(status.summary())
            return 0
        if not service.paired:
            raise NotPaired("This till is not paired with a marketplace yet: run "
                            "`vendor-console sync pair --url URL --key KEY`.")
        if args.sync_cmd == "once":
            result = await service.sync_once(max_wait_s=args.max_wait)
            print(f"pulled {result.pulled} changes, sent {result.push.sent}, "
                  f"{result.pending} still pending, {result.dead_letters} dead-lettered")
            return 3 if result.dead_letters else (4 if result.pending else 0)
        await service.run()
        return 0
    except (ApiError, NetworkError, NotPaired) as exc:
        print(f"vendor-console sync: {exc}", file=sys.stderr)
        return 2
    finally:
        await service.aclose()
