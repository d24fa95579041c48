"""Applying a plan in one write transaction: all of it, or (if asked) all but the bad rows.

The plan is computed again inside the transaction, so what is applied matches the catalog
as it is at that moment, not as it was at the dry run. Products go through the catalog
service's transaction functions (rows, keywords, outbox), counts through the stock ledger
(PHYSICAL_COUNT with the expected value, outbox), and one audit entry records the import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from local_db.tables import variants
from local_db.writer import Tx
from vendor_console.catalog_io.model import ParsedFile, RowIssue
from vendor_console.catalog_io.plan import build_plan
from vendor_console.catalog_io.plan_records import ImportPlan, PlannedProduct
from vendor_console.errors import DomainError, ValidationError
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import audit, catalog_tx, catalog_writes, stock_ledger
from vendor_console.services.catalog_validation import ProductDraft

Progress = Callable[[int, int], None]


class ImportRejected(ValidationError):
    """The file has rejected rows and the user did not choose to skip them: nothing written."""

    code = "import_rejected"

    def __init__(self, user_message: str, plan: ImportPlan) -> None:
        super().__init__(user_message)
        self.plan = plan


class ImportCancelled(DomainError):
    code = "import_cancelled"


@dataclass(slots=True)
class ImportResult:
    plan: ImportPlan
    created: int = 0
    updated: int = 0
    counts: int = 0
    failed: list[RowIssue] = field(default_factory=list)  # skipped while applying


def apply_in_tx(
    tx: Tx, parsed: ParsedFile, actor: Actor, *, file_sha256: str, file_name: str,
    skip_bad_rows: bool = False, progress: Progress | None = None,
    cancel: threading.Event | None = None, locations: Mapping[str, str] | None = None,
) -> ImportResult:
    plan = build_plan(tx.conn, parsed, locations)
    if plan.rejected_rows and not skip_bad_rows:
        raise ImportRejected(
            f"{len(plan.rejected_rows)} rows of {file_name} were rejected "
            f"({len(plan.errors)} errors, {len(plan.conflicts)} conflicts); nothing was "
            "imported. Fix them, or choose to skip the bad rows.", plan)
    result = ImportResult(plan)
    total = sum(1 for p in plan.products if p.action != "unchanged") + (1 if plan.counts else 0)
    categories: dict[str, str] = {}
    for name in plan.new_categories:
        categories[name.casefold()] = catalog_tx.create_category(tx, name).id
    ids, failed_keys = _write_products(tx, plan, result, categories, skip_bad_rows=skip_bad_rows,
                                       progress=progress, cancel=cancel)
    movements = []
    positions = _variant_ids(tx, {ids[c.product_key] for c in plan.counts
                                  if c.variant_id is None and c.product_key in ids})
    for c in plan.counts:
        if c.product_key in failed_keys:
            continue
        variant_id = c.variant_id or positions[(ids[c.product_key], c.position)]
        movements.append(stock_ledger.Movement(
            variant_id, c.location_id, "count", counted=c.counted, reference_type="import",
            reference_id=file_sha256[:36], note=f"Imported from {file_name}"))
    if movements:
        require(actor, Permission.ADJUST_STOCK)
        stock_ledger.record(tx, movements, staff_id=actor.staff_id)
        result.counts = len(movements)
    if result.created or result.updated or result.counts:
        audit.append(tx, "catalog_import", staff_id=actor.staff_id, entity_type="file",
                     entity_id=file_sha256[:36], details={
                         "file": file_name, "sha256": file_sha256, "dialect": plan.dialect,
                         "created": result.created, "updated": result.updated,
                         "counts": result.counts, "skipped_rows": plan.rejected_rows[:1000]})
    if progress is not None:
        progress(total, total)
    return result


def _write_products(
    tx: Tx, plan: ImportPlan, result: ImportResult, categories: dict[str, str], *,
    skip_bad_rows: bool, progress: Progress | None, cancel: threading.Event | None,
) -> tuple[dict[str, str], set[str]]:
    """Create or update each product in a savepoint; returns the product id per key and the
    keys that failed (only when skipping bad rows; otherwise the error rolls back all)."""
    writing = [p for p in plan.products if p.action != "unchanged"]
    total = len(writing) + (1 if plan.counts else 0)
    ids: dict[str, str] = {}
    failed_keys: set[str] = set()
    for done, p in enumerate(writing):
        if cancel is not None and cancel.is_set():
            raise ImportCancelled("The import was cancelled; nothing was changed.")
        draft = p.draft
        if p.category_name is not None and draft.category_id is None:
            draft = replace(draft, category_id=categories[p.category_name.casefold()])
        try:
            # A savepoint only where a failure must not undo the rest; else the error
            # rolls the whole transaction back anyway.
            with tx.conn.begin_nested() if skip_bad_rows else nullcontext():
                ids[p.key] = _write_product(tx, p, draft)
            if p.action == "create":
                result.created += 1
            else:
                result.updated += 1
        except DomainError as exc:
            if not skip_bad_rows:
                raise
            failed_keys.add(p.key)
            result.failed.append(RowIssue(p.rows[0], exc.field, exc.user_message))
        if progress is not None and done % 25 == 0:
            progress(done, total)
    return ids, failed_keys


def _write_product(tx: Tx, p: PlannedProduct, draft: ProductDraft) -> str:
    if p.action == "update":
        assert p.product_id is not None
        catalog_tx.update_product(tx, p.product_id, draft)
        return p.product_id
    # The plan was made in this transaction: category, tax rates and codes are checked.
    if p.takes_from_tombstone:
        catalog_writes.release_archived(tx.conn, draft)
    return catalog_tx.create_product(tx, draft, client_ref=p.client_ref,
                                     checked_category=p.category_name, prechecked=True)


def _variant_ids(tx: Tx, product_ids: set[str]) -> dict[tuple[str, int], str]:
    """(product id, position) -> variant id, for the live variants of ``product_ids``."""
    found: dict[tuple[str, int], str] = {}
    wanted = sorted(product_ids)
    for start in range(0, len(wanted), 500):
        rows = tx.conn.execute(
            select(variants.c.product_id, variants.c.id)
            .where(variants.c.product_id.in_(wanted[start:start + 500]),
                   variants.c.archived_at.is_(None))
            .order_by(variants.c.product_id, variants.c.position, variants.c.id))
        position: dict[str, int] = {}
        for pid, vid in rows:
            found[(pid, position.setdefault(pid, 0))] = vid
            position[pid] += 1
    return found


def check_permission(actor: Actor) -> None:
    require(actor, Permission.EDIT_CATALOG)
