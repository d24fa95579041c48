"""Start the desktop app: the one place in vendor_console that reaches into the Qt UI."""

from __future__ import annotations

import argparse
import sys

from vendor_console.paths import DataPaths


def run_app(args: argparse.Namespace, paths: DataPaths) -> int:
    paths.ensure()
    # The exception hook goes in before the QApplication (and before the database opens).
    from ui.errors import install_excepthook

    install_excepthook(show_dialog=not args.no_crash_dialog, log_path=paths.log_file)
    from vendor_console.core import AppCore
    from vendor_console.errors import DomainError

    try:
        core = AppCore.open(paths)
    except DomainError as exc:
        print(f"vendor-console: {exc.user_message}", file=sys.stderr)
        from ui.app import show_fatal_message

        show_fatal_message("Vendor Console cannot open the shop database", exc.user_message)
        return 2
    try:
        if args.demo and core.shop() is None:
            from vendor_console.demo import build_demo

            print("Building the Hazel & Rye demo shop (once)…", file=sys.stderr)
            build_demo(core.db, images_dir=paths.images)
        from ui.app import run_gui

        shop = core.shop()
        title = f"Vendor Console — {shop.name}" if shop else "Vendor Console"
        return run_gui(core.shell_status, no_crash_dialog=args.no_crash_dialog,
                       log_path=paths.log_file, title=title,
                       quit_after_paint=args.quit_after_paint)
    finally:
        core.close()
