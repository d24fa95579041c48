"""``vendor-console catalog import|export``: move a catalog in and out from a terminal.

``import FILE`` shows the dry-run report and then applies it (``--dry-run``: report only;
``--json``: the report as JSON; ``--skip-bad-rows``: apply all but the rejected rows). The
exit status is 1 when rows were rejected (or the import refused), 0 otherwise. A terminal
user can open the database file anyway, so the import runs as a staff member named with
``--as`` (default: the first active owner), who is recorded in the audit log.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vendor_console.paths import DataPaths


def add_catalog_io_parsers(catalog: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = catalog.add_parser(
        "import", help="import a Square item library (CSV/XLSX), a Shopify product or "
        "inventory CSV, or a Vendor Console JSONL catalog")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true",
                          help="show what would change; write nothing")
    importer.add_argument("--json", action="store_true", help="print the report as JSON")
    importer.add_argument("--skip-bad-rows", action="store_true",
                          help="apply every row but the rejected ones (default: all or nothing)")
    importer.add_argument("--location", action="append", default=[], metavar="THEIRS=OURS",
                          help="put the file's stock location THEIRS at our location OURS "
                          "(repeatable; default: same names, or the default location when "
                          "the file has one)")
    importer.add_argument("--as", dest="staff_name", metavar="NAME",
                          help="the staff member importing (default: the first owner)")
    exporter = catalog.add_parser("export", help="write the catalog as Square CSV, Shopify "
                                  "CSV or Vendor Console JSONL")
    exporter.add_argument("--format", required=True, choices=("square", "shopify", "jsonl"))
    exporter.add_argument("file", type=Path)


def handles(args: argparse.Namespace) -> bool:
    return args.command == "catalog" and args.catalog_cmd in ("import", "export")


def cmd_catalog_io(args: argparse.Namespace, paths: DataPaths) -> int:
    from vendor_console.catalog_io import CatalogTransfer
    from vendor_console.core import AppCore

    core = AppCore.open(paths)
    try:
        transfer = CatalogTransfer(core.db)
        if args.catalog_cmd == "export":
            count = transfer.export(args.format, args.file)
            print(f"Wrote {count} products to {args.file} ({args.format}).")
            return 0
        return _import(core, transfer, args)
    finally:
        core.close()


def _actor(core: Any, name: str | None) -> Any:
    from vendor_console.errors import NotFound
    from vendor_console.services.staff import StaffService

    staff = StaffService(core.db)
    members = staff.list_staff()
    chosen = next((m for m in members if (m.name.casefold() == name.casefold() if name
                                          else m.role == "owner")), None)
    if chosen is None:
        raise NotFound(f"No active staff member called {name}." if name
                       else "The shop has no owner yet; set up the shop first.")
    return staff.actor(chosen.id)


def _import(core: Any, transfer: Any, args: argparse.Namespace) -> int:
    from vendor_console.catalog_io import ImportRejected
    from vendor_console.catalog_io.report import plan_json, plan_text

    locations = _locations(args.location)
    if args.dry_run:
        plan = transfer.dry_run(args.file, locations=locations)
        _show(plan_json(plan) if args.json else plan_text(plan), args.json)
        return 1 if plan.rejected_rows else 0
    actor = _actor(core, args.staff_name)
    try:
        result = transfer.apply(actor, args.file, skip_bad_rows=args.skip_bad_rows,
                                locations=locations)
    except ImportRejected as exc:
        if args.json:
            _show({**plan_json(exc.plan), "refused": exc.user_message}, True)
        else:
            _show(plan_text(exc.plan), False)
            print(exc.user_message, file=sys.stderr)
        return 1
    if args.json:
        _show(plan_json(result.plan, result), True)
    else:
        _show(plan_text(result.plan), False)
        print(f"Imported: {result.created} created, {result.updated} updated, "
              f"{result.counts} stock counts" + (f", {len(result.failed)} failed" if
                                                   result.failed else "") + ".")
    return 1 if result.plan.rejected_rows or result.failed else 0


def _locations(pairs: list[str]) -> dict[str, str]:
    from vendor_console.errors import ValidationError

    mapping = {}
    for pair in pairs:
        theirs, sep, ours = pair.partition("=")
        if not sep or not theirs.strip() or not ours.strip():
            raise ValidationError(f"--location takes THEIRS=OURS, e.g. “Main Street=Shop”; "
                                  f"got “{pair}”.")
        mapping[theirs.strip()] = ours.strip()
    return mapping


def _show(report: Any, as_json: bool) -> None:
    print(json.dumps(report, indent=1, ensure_ascii=False, default=str) if as_json else report)
