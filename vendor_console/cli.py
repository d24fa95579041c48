"""``vendor-console``: the desktop app, and the commands that check and script a till.

Without a sub-command it opens the window. Heavy imports (Qt, SQLAlchemy, Alembic) happen only
inside the command that needs them, so ``--help`` and cold start stay quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from vendor_console import __version__
from vendor_console.paths import DataPaths, resolve_data_dir

Handler = Callable[[argparse.Namespace, DataPaths], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vendor-console",
        description="Point of sale and vendor console for makers and small shops.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help="where the shop database, images, backups and logs live "
        "(default: the platform's user data folder; the demo uses its 'demo' sub-folder)",
    )
    parser.add_argument("--demo", action="store_true",
                        help="create (once) and open the Hazel & Rye demo shop")
    parser.add_argument("--self-test", action="store_true",
                        help="check database, migrations and window rendering, then exit")
    parser.add_argument("--no-crash-dialog", action="store_true",
                        help="log unexpected errors instead of showing the crash dialog")
    # For the cold-start benchmark: quit at the first paint / once the database is open.
    parser.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="demo shops").add_subparsers(dest="demo_cmd", required=True)
    build = demo.add_parser("build", help="build a demo shop without opening a window")
    build.add_argument("--size", type=int, default=None, metavar="N",
                       help="products in a large benchmark shop (default: the ~200-product "
                       "Hazel & Rye demo)")
    build.add_argument("--order-lines", type=int, default=None, metavar="N",
                       help="order lines in a large shop (default 10 per product)")
    export = demo.add_parser("export-catalog",
                             help="write the demo catalog as JSON (the sandbox seeds from it)")
    export.add_argument("--output", default=None, metavar="FILE",
                        help="default: marketplace_sandbox/demo_catalog.json; - for stdout")

    db = sub.add_parser("db", help="the shop database").add_subparsers(dest="db_cmd",
                                                                       required=True)
    db.add_parser("info", help="where the database is and what is in it")
    db.add_parser("check", help="integrity check and audit chain verification")
    db.add_parser("backup", help="write a consistent backup copy")

    settings = sub.add_parser("settings", help="read and change settings").add_subparsers(
        dest="settings_cmd", required=True)
    settings.add_parser("list", help="all settings with their values")
    setter = settings.add_parser("set", help="change one setting")
    setter.add_argument("key")
    setter.add_argument("value")

    catalog = sub.add_parser("catalog", help="the product catalog").add_subparsers(
        dest="catalog_cmd", required=True)
    search = catalog.add_parser("search", help="search products as the till does")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=20)
    lookup = catalog.add_parser("lookup", help="find a variant by barcode or SKU")
    lookup.add_argument("code")
    from vendor_console.catalog_commands import add_catalog_io_parsers

    add_catalog_io_parsers(catalog)

    staff = sub.add_parser("staff", help="staff members").add_subparsers(dest="staff_cmd",
                                                                         required=True)
    staff.add_parser("list", help="staff members and roles")
    from vendor_console.printer_commands import add_printer_parser

    add_printer_parser(sub)
    from vendor_console.report_commands import add_report_parser

    add_report_parser(sub)

    from sync.cli import add_sync_parser

    add_sync_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = resolve_data_dir(args.data_dir)
    if args.demo and not args.data_dir:
        paths = DataPaths(paths.root / "demo")
    from vendor_console.errors import DomainError

    try:
        if args.self_test:
            from vendor_console.selftest import run_self_test

            return run_self_test(args, paths)
        if args.command is None:
            from vendor_console.gui_entry import run_app

            return run_app(args, paths)
        return _run_command(args, paths)
    except DomainError as exc:
        print(f"vendor-console: {exc.user_message}", file=sys.stderr)
        return 2


# Commands living in their own modules (imported only when they run): name -> (module, function).
_COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "printer": ("vendor_console.printer_commands", "cmd_printer"),
    "report": ("vendor_console.report_commands", "cmd_report"),
    "sync": ("sync.cli", "cmd_sync"),
}


def _run_command(args: argparse.Namespace, paths: DataPaths) -> int:
    import importlib

    from vendor_console import catalog_commands

    if catalog_commands.handles(args):
        return catalog_commands.cmd_catalog_io(args, paths)
    if args.command in _COMMAND_MODULES:
        module_name, function = _COMMAND_MODULES[args.command]
        command: Handler = getattr(importlib.import_module(module_name), function)
        return command(args, paths)
    from vendor_console import commands

    handler: Handler = getattr(commands, f"cmd_{args.command}")
    return handler(args, paths)


def run() -> None:  # pragma: no cover - console-script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))

