"""`marketplace-sandbox serve | seed --demo`."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from collections.abc import Sequence

from marketplace_sandbox.config import RatePolicy, Settings

DEFAULT_DB = "sqlite:///marketplace_sandbox.db"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marketplace-sandbox",
                                     description="The reference marketplace vendor API server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--database", default=DEFAULT_DB,
                       help="SQLAlchemy URL: sqlite:///path.db (default) or postgresql://…")
    serve.add_argument("--test-mode", action="store_true",
                       help="enable /_test routes (placing orders as a customer, …)")
    serve.add_argument("--fault", action="append", default=[], metavar="KNOB[=VALUE]",
                       help="server-wide fault knob (implies --test-mode); repeatable")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (use PostgreSQL for more than one)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--batch-per-minute", type=int, default=None, metavar="N",
                       help="batch endpoints' bucket per credential (default 60 a minute)")
    sim = sub.add_parser("simulate", help="play customers against a --test-mode server")
    sim.add_argument("--url", default="http://127.0.0.1:8765")
    sim.add_argument("--vendor", help="vendor id (default: the demo vendor)")
    sim.add_argument("--orders-per-minute", type=float, default=2.0)
    sim.add_argument("--duration", type=float, help="stop after this many seconds")
    sim.add_argument("--seed", type=int, help="random seed, for a repeatable run")
    bench = sub.add_parser("bench", help="feed rows/s and order-to-SSE latency on loopback")
    bench.add_argument("--products", type=int, default=100_000)
    bench.add_argument("--order-lines", type=int, default=1_000_000)
    bench.add_argument("--latency-samples", type=int, default=200)
    bench.add_argument("--database", help="default: a temporary SQLite file")
    spec = sub.add_parser("openapi", help="print the OpenAPI document (docs/openapi.json)")
    spec.add_argument("--output", help="write to this file instead of stdout")
    seed = sub.add_parser("seed", help="create data")
    seed.add_argument("--demo", action="store_true", help='the demo vendor "Hazel & Rye"')
    seed.add_argument("--database", default=DEFAULT_DB)
    return parser


def openapi_json() -> str:
    """The served OpenAPI document, as committed in docs/openapi.json."""
    import json
    import tempfile
    from pathlib import Path

    from marketplace_sandbox.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(database_url=f"sqlite:///{Path(tmp) / 'spec.db'}"))
        try:
            spec = app.openapi()
        finally:
            app.state.ctx.db.dispose()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def simulate(url: str, vendor: str | None, rate: float, duration: float | None,
             seed: int | None) -> int:
    import random

    import httpx

    from marketplace_sandbox.simulator import Simulator, pick_vendor

    if rate <= 0:
        print("--orders-per-minute must be positive", file=sys.stderr)
        return 2
    with httpx.Client(base_url=url, timeout=30) as client:
        vendor_id = pick_vendor(client, vendor)
        sim = Simulator(client, vendor_id, random.Random(seed))
        print(f"simulating customers of {vendor_id} at {rate:g} orders/minute (Ctrl-C stops)",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            sim.run(rate, duration, report=lambda line: print(line, flush=True))
        print(", ".join(f"{k}: {v}" for k, v in sim.counts.items()))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from marketplace_sandbox.server import make_server

    settings = Settings(database_url=args.database, test_mode=args.test_mode or bool(args.fault),
                        faults=tuple(args.fault))
    if args.batch_per_minute is not None:
        if args.workers > 1:
            print("--batch-per-minute works with one worker only", file=sys.stderr)
            return 2
        settings = dataclasses.replace(
            settings, batch_policy=RatePolicy("batch", args.batch_per_minute, 60))
    print(f"marketplace sandbox on http://{args.host}:{args.port}{settings.base_path}",
          flush=True)
    if args.workers <= 1:
        make_server(settings, args.host, args.port, args.log_level).run()
        return 0
    import json
    import os

    import uvicorn

    from marketplace_sandbox.app import SETTINGS_ENV
    from marketplace_sandbox.db import Database

    db = Database(settings.database_url)  # create the tables once, before the workers start
    db.create_schema()
    db.dispose()
    os.environ[SETTINGS_ENV] = json.dumps({"database_url": settings.database_url,
                                           "test_mode": settings.test_mode,
                                           "faults": list(settings.faults)})
    uvicorn.run("marketplace_sandbox.app:create_app_from_env", factory=True, host=args.host,
                port=args.port, workers=args.workers, log_level=args.log_level,
                date_header=False, server_header=False, timeout_graceful_shutdown=3)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    return simulate(args.url, args.vendor, args.orders_per_minute, args.duration, args.seed)


def _bench(args: argparse.Namespace) -> int:
    from marketplace_sandbox import bench

    return bench.main(args.products, args.order_lines, args.latency_samples, args.database)


def _openapi(args: argparse.Namespace) -> int:
    text = openapi_json()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _seed(args: argparse.Namespace) -> int:
    if not args.demo:
        print("nothing to seed: pass --demo", file=sys.stderr)
        return 2
    from marketplace_sandbox.db import Database
    from marketplace_sandbox.seed import seed_demo

    db = Database(args.database)
    db.create_schema()
    try:
        result = seed_demo(db)
    finally:
        db.dispose()
    print(f"vendor: Hazel & Rye ({result.vendor_id})")
    print(f"location: {result.location_id}")
    print(f"api key (pairing key): {result.api_key}")
    print(f"pairing code: {result.pairing_code}")
    return 0


COMMANDS = {"serve": _serve, "simulate": _simulate, "bench": _bench, "openapi": _openapi,
            "seed": _seed}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
