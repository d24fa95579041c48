"""``vendor-console printer …``: set up, check and use receipt printers from a terminal.

``--printer`` takes a printer URL (``tcp://HOST:PORT``, ``serial:///dev/ttyUSB0?baud=9600``,
``usblp:///dev/usb/lp0``, ``winspool://NAME``) or the name of a printer added with
``printer add``; without it the default printer is used.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from vendor_console.errors import NotFound, ValidationError
from vendor_console.paths import DataPaths

if TYPE_CHECKING:  # the device modules load only when a printer command runs (cold start)
    from vendor_console.core import AppCore
    from vendor_console.devices.profile import PrinterProfile

URL_SCHEMES = ("tcp://", "serial://", "usblp://", "winspool://")
Build = Callable[["PrinterProfile"], bytes]
T = TypeVar("T")


def _run(job: Coroutine[Any, Any, T]) -> T:
    import asyncio  # not at import time: the parser is built on every start, GUI included

    return asyncio.run(job)


def add_printer_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printer = sub.add_parser("printer", help="receipt printers and the cash drawer")
    cmds = printer.add_subparsers(dest="printer_cmd", required=True)

    def target(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--printer", metavar="URL|NAME",
                       help="tcp://HOST:PORT, serial://…, usblp://…, winspool://… or the name "
                       "of a printer added with 'printer add' (default: the default printer)")
        return p

    cmds.add_parser("list", help="printers set up on this till")
    add = cmds.add_parser("add", help="set up a printer")
    add.add_argument("name")
    add.add_argument("url", help="tcp://HOST:PORT, serial:///dev/ttyUSB0?baud=9600, "
                     "usblp:///dev/usb/lp0 or winspool://NAME")
    add.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper width, mm")
    add.add_argument("--code-page", default="CP858", help="fixed code page (default CP858)")
    add.add_argument("--drawer-pin", type=int, choices=(2, 5), default=2)
    add.add_argument("--drawer-pulse", choices=("dle_dc4", "esc_p"), default="dle_dc4",
                     help="real-time DLE DC4 (default) or buffered ESC p for clones")
    add.add_argument("--drawer-open-low", action="store_true",
                     help="the drawer sensor reads low when open")
    add.add_argument("--default", action="store_true", help="make it the default printer")
    remove = cmds.add_parser("remove", help="remove a printer (its finished jobs go too)")
    remove.add_argument("name")
    target(cmds.add_parser("status", help="ask the printer how it is"))
    target(cmds.add_parser("test", help="print a test page"))
    target(cmds.add_parser("code-page-test", help="print every code page table"))
    receipt = target(cmds.add_parser("receipt", help="print (again) the receipt of a sale"))
    receipt.add_argument("sale", metavar="SALE_ID", help="sale id or receipt number")
    drawer = target(cmds.add_parser("drawer", help="open the cash drawer (a 'no sale')"))
    drawer.add_argument("--staff", required=True, help="who opens it (needs 'no sale')")
    drawer.add_argument("--pin", required=True)


def cmd_printer(args: argparse.Namespace, paths: DataPaths) -> int:
    from vendor_console.devices import receipt_builder

    command = args.printer_cmd
    if command in ("list", "add", "remove"):
        return _with_core(paths, lambda core: _list(core) if command == "list"
                          else _add(core, args) if command == "add" else _remove(core, args))
    if command in ("status", "test", "code-page-test") and _is_url(args.printer):
        return _run_on(_url_profile(args.printer), command, None)
    if command == "status":
        return _with_core(paths, lambda core: _run_on(_named(core, args.printer), command, None))
    if command in ("test", "code-page-test"):
        build = (receipt_builder.build_test_page if command == "test"
                 else receipt_builder.build_code_page_test)
        return _with_core(paths, lambda core: _queue_and_print(
            core, args.printer, build, None, command))
    if command == "receipt":
        return _with_core(paths, lambda core: _receipt(core, args))
    return _with_core(paths, lambda core: _drawer(core, args))


def _is_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(URL_SCHEMES)


def _url_profile(url: str) -> PrinterProfile:
    from vendor_console.devices.profile import PrinterProfile
    from vendor_console.devices.transports import open_transport

    try:
        open_transport(url)
    except ValueError as exc:
        raise ValidationError(str(exc), field="printer") from exc
    return PrinterProfile(name=url, url=url).validated()


def _with_core(paths: DataPaths, fn: Callable[[AppCore], int]) -> int:
    from vendor_console.core import AppCore

    core = AppCore.open(paths)
    try:
        return fn(core)
    finally:
        core.close()


def _named(core: AppCore, name: str | None) -> PrinterProfile:
    return _record(core, name)[1]


def _record(core: AppCore, name: str | None) -> tuple[str | None, PrinterProfile]:
    from vendor_console.devices.printers import default_printer, get_printer

    db = core.db
    if _is_url(name):
        return None, _url_profile(str(name))
    record = get_printer(db, name) if name else default_printer(db)
    if record is None:
        raise NotFound("No printer is set up yet: add one with 'vendor-console printer add "
                       "NAME tcp://HOST:9100' or pass --printer tcp://HOST:PORT.")
    return record.id, record.profile


def _run_on(profile: PrinterProfile, command: str, job: bytes | None) -> int:
    from vendor_console.devices.printer_link import Outcome, PrinterLink

    link = PrinterLink(profile)
    if command == "status":
        status = _run(link.status())
        print(f"{profile.name}: {status.summary()}")
        if status.reachable:
            drawer = "open" if status.drawer_open(profile.drawer.open_when_high) else "closed"
            print(f"  online: {'yes' if status.online else 'no'}; paper: "
                  f"{'out' if status.paper_out else 'low' if status.paper_near_end else 'ok'}; "
                  f"cover: {'open' if status.cover_open else 'closed'}; drawer: {drawer}")
        return 0 if status.ready else 1
    from vendor_console.devices import receipt_builder

    data = job or (receipt_builder.build_test_page(profile) if command == "test"
                   else receipt_builder.build_code_page_test(profile))
    result = _run(link.print_job(data))
    print(result.message)
    return 0 if result.outcome in (Outcome.PRINTED, Outcome.SENT) else 1


def _queue_and_print(core: AppCore, name: str | None, build: Build, sale_id: str | None,
                     kind: str) -> int:
    """Named printers go through the persisted queue (the job survives a printer that is
    off); a URL is printed directly."""
    from vendor_console.devices.print_queue import PrintQueue
    from vendor_console.devices.printer_link import Outcome

    printer_id, profile = _record(core, name)
    job = build(profile)
    if printer_id is None:
        return _run_on(profile, kind, job)
    queue = PrintQueue(core.db)
    job_id = queue.enqueue(printer_id, kind, job, sale_id=sale_id)
    results = _run(queue.process(printer_id))
    for done_id, result in results:
        if done_id == job_id:
            print(result.message)
            return 0 if result.outcome in (Outcome.PRINTED, Outcome.SENT) else 1
    print("Queued behind earlier receipts that could not print yet; it will print after them.")
    return 1


def _receipt(core: AppCore, args: argparse.Namespace) -> int:
    from vendor_console.devices.receipt_builder import build_receipt
    from vendor_console.receipts import receipt_for_sale
    from vendor_console.services.checkout import CheckoutService

    db = core.db
    found = CheckoutService(db).find_by_receipt(args.sale)
    sale_id = found.id if found is not None else args.sale
    doc = receipt_for_sale(db, sale_id)
    return _queue_and_print(core, args.printer, lambda p: build_receipt(doc, p), sale_id,
                            "receipt")


def _drawer(core: AppCore, args: argparse.Namespace) -> int:
    from vendor_console.devices.drawer import open_drawer_no_sale
    from vendor_console.devices.printer_link import PrinterLink
    from vendor_console.services.staff import StaffService

    db = core.db
    staff = StaffService(db)
    match = [s for s in staff.list_staff() if s.name.lower() == args.staff.strip().lower()]
    if not match:
        raise NotFound(f"There is no staff member called “{args.staff}”.")
    actor = staff.sign_in(match[0].id, args.pin)
    _, profile = _record(core, args.printer)
    result = _run(open_drawer_no_sale(db, PrinterLink(profile), actor,
                                             reason="opened from the terminal"))
    print(result.message)
    return 0 if result.drawer_open else 1


def _list(core: AppCore) -> int:
    from vendor_console.devices.printers import list_printers

    printers = list_printers(core.db)
    if not printers:
        print("No printers set up. Add one with 'vendor-console printer add NAME URL'.")
    for p in printers:
        mark = " (default)" if p.is_default else ""
        drawer = p.profile.drawer
        print(f"{p.name}{mark}: {p.profile.url} · {p.profile.width_mm} mm · "
              f"{p.profile.code_page} · drawer pin {drawer.pin} ({drawer.method})")
    return 0


def _add(core: AppCore, args: argparse.Namespace) -> int:
    from vendor_console.devices.printers import add_printer
    from vendor_console.devices.profile import DrawerSettings, PrinterProfile

    profile = replace(
        PrinterProfile(name=args.name, url=args.url, width_mm=args.width,
                       code_page=args.code_page.upper()),
        drawer=DrawerSettings(pin=args.drawer_pin, method=args.drawer_pulse,
                              open_when_high=not args.drawer_open_low))
    record = add_printer(core.db, profile, default=args.default)
    print(f"Added {record.name}{' (default)' if record.is_default else ''}: {record.profile.url}")
    return 0


def _remove(core: AppCore, args: argparse.Namespace) -> int:
    from vendor_console.devices.printers import remove_printer

    record = remove_printer(core.db, args.name)
    print(f"Removed {record.name}.")
    return 0
