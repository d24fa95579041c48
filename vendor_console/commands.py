"""Terminal commands (``vendor-console db|demo|settings|catalog|staff …``). No Qt here."""

from __future__ import annotations

import argparse
import json

from vendor_console.core import AppCore
from vendor_console.paths import DataPaths


def _open(paths: DataPaths) -> AppCore:
    return AppCore.open(paths)


def cmd_demo(args: argparse.Namespace, paths: DataPaths) -> int:
    if args.demo_cmd == "export-catalog":
        return _export_demo_catalog(args.output)
    from vendor_console.demo import build_demo, build_large

    core = _open(paths)
    try:
        if args.size:
            large = build_large(core.db, products=args.size,
                                order_lines=args.order_lines or args.size * 10)
            print(f"Built a benchmark shop: {large.products:,} products, {large.variants:,} "
                  f"variants, {large.orders:,} orders with {large.order_lines:,} lines "
                  f"in {large.seconds:.1f} s.")
        else:
            demo = build_demo(core.db, images_dir=paths.images)
            if not demo.created:
                print(f"This data folder already has a shop ({demo.shop_name}); "
                      "nothing was changed.")
            else:
                print(f"Built the {demo.shop_name} demo shop in {demo.seconds:.1f} s: "
                      f"{demo.products} products ({demo.variants} variants, {demo.images} "
                      f"images), {demo.trading_days} trading days, {demo.sales:,} sales, "
                      f"{demo.refunds} refunds, {demo.orders} marketplace orders.")
                for name, role, pin in demo.staff:
                    print(f"  {role:<8} {name:<8} PIN {pin}")
    finally:
        core.close()
    print(f"Database: {paths.database}")
    return 0


def _export_demo_catalog(output: str | None) -> int:
    from pathlib import Path

    from vendor_console.demo.catalog_export import SANDBOX_FILE, demo_catalog_document

    text = json.dumps(demo_catalog_document(), indent=1, ensure_ascii=False) + "\n"
    if output == "-":
        print(text, end="")
        return 0
    target = Path(output) if output else SANDBOX_FILE
    target.write_text(text, encoding="utf-8")
    print(f"Wrote the demo catalog to {target}")
    return 0


def cmd_db(args: argparse.Namespace, paths: DataPaths) -> int:
    from local_db.migrate import backup_database

    core = _open(paths)
    try:
        if args.db_cmd == "info":
            status = core.shell_status()
            counts = ", ".join(f"{n} {what}" for what, n in core.counts().items())
            print(f"Database: {status.database.path}\n{status.database.message}\n"
                  f"Shop: {status.shop_name}\n{counts}")
        elif args.db_cmd == "check":
            from sqlalchemy import text

            from vendor_console.services.audit import verify_chain

            with core.db.read() as conn:
                integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
                chain = verify_chain(conn)
            print(f"integrity: {integrity}\naudit: {chain.message}")
            return 0 if integrity == "ok" and chain.ok else 1
        elif args.db_cmd == "backup":
            print(backup_database(paths.database, paths.backups, "manual"))
    finally:
        core.close()
    return 0


def cmd_settings(args: argparse.Namespace, paths: DataPaths) -> int:
    from vendor_console.settings import REGISTRY, spec_for

    core = _open(paths)
    try:
        if args.settings_cmd == "set":
            value = core.settings.set(spec_for(args.key), args.value)
            print(f"{args.key} = {json.dumps(value)}")
        else:
            for key, value in core.settings.all().items():
                print(f"{key} = {json.dumps(value)}    # {REGISTRY[key].label}")
    finally:
        core.close()
    return 0


def cmd_catalog(args: argparse.Namespace, paths: DataPaths) -> int:
    from vendor_console.money import format_money
    from vendor_console.services.catalog import CatalogService

    core = _open(paths)
    try:
        shop = core.shop()

        def money(amount: int | None) -> str:
            if amount is None or shop is None:
                return "" if amount is None else str(amount)
            return format_money(amount, shop.currency, shop.locale)

        catalog = CatalogService(core.db)
        if args.catalog_cmd == "search":
            for hit in catalog.search(args.text, limit=args.limit):
                print(f"{hit.name}\t{hit.sku or ''}\t{hit.barcode or ''}\t{money(hit.price)}")
        else:
            found = catalog.find_by_barcode(args.code) or catalog.find_by_sku(args.code)
            if found is None:
                print(f"No product has the code {args.code}.")
                return 1
            state = " (archived)" if found.archived else ""
            print(f"{found.display_name}{state}\tSKU {found.sku or '-'}\t"
                  f"barcode {found.barcode or '-'}\t{money(found.price)}")
    finally:
        core.close()
    return 0


def cmd_staff(args: argparse.Namespace, paths: DataPaths) -> int:
    from vendor_console.services.staff import StaffService

    core = _open(paths)
    try:
        for member in StaffService(core.db).list_staff():
            print(f"{member.name}\t{member.role}")
    finally:
        core.close()
    return 0
