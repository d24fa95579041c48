"""``vendor-console report sales|rebuild``: the Analytics page's figures in a terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vendor_console.paths import DataPaths


def add_report_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="sales figures from the local database").add_subparsers(
        dest="report_cmd", required=True)
    sales = report.add_parser(
        "sales", help="sales between two business days (the shop's time zone), grouped")
    sales.add_argument("--from", dest="start", required=True, metavar="DATE",
                       help="first business day, YYYY-MM-DD")
    sales.add_argument("--to", dest="end", required=True, metavar="DATE",
                       help="last business day, YYYY-MM-DD (included)")
    sales.add_argument("--by", default="day",
                       choices=("day", "week", "month", "category", "product", "channel", "hour"))
    sales.add_argument("--format", dest="fmt", default="csv", choices=("csv", "json"))
    sales.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    report.add_parser("rebuild", help="recompute the analytics rollups from the sales and orders")


def cmd_report(args: argparse.Namespace, paths: DataPaths) -> int:
    from vendor_console.core import AppCore
    from vendor_console.services.analytics_dashboard import rebuild_rollups, sales_report
    from vendor_console.services.analytics_range import DateRange
    from vendor_console.services.analytics_report import render

    if args.report_cmd == "sales":  # check the input before opening (or creating) anything
        rng = DateRange.parse(args.start, args.end)
    core = AppCore.open(paths)
    try:
        if args.report_cmd == "rebuild":
            zone = rebuild_rollups(core.db)
            print(f"Analytics rebuilt from the sales and orders (business days in {zone}).")
            return 0
        text = render(sales_report(core.db, rng, args.by), args.fmt)
    finally:
        core.close()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
