"""The dry-run report as text (terminal, the wizard) and as JSON (``--json``)."""

from __future__ import annotations

from typing import Any

from vendor_console.catalog_io.apply import ImportResult
from vendor_console.catalog_io.model import RowIssue
from vendor_console.catalog_io.plan import ImportPlan
from vendor_console.catalog_io.reader import DIALECT_NAMES

MAX_LISTED = 50


def _issue(i: RowIssue) -> dict[str, Any]:
    return {"row": i.row, "column": i.column, "message": i.message}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def plan_json(plan: ImportPlan, result: ImportResult | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "dialect": plan.dialect, "details": _plain(plan.details),
        "summary": {
            "create": len(plan.of("create")), "update": len(plan.of("update")),
            "unchanged": len(plan.of("unchanged")), "stock_counts": len(plan.counts),
            "new_categories": len(plan.new_categories), "errors": len(plan.errors),
            "conflicts": len(plan.conflicts), "warnings": len(plan.warnings),
            "skipped": len(plan.skipped), "rejected_rows": len(plan.rejected_rows),
        },
        "creates": [{"key": p.key, "name": p.name, "rows": p.rows} for p in plan.of("create")],
        "updates": [{"key": p.key, "name": p.name, "rows": p.rows, "product_id": p.product_id,
                     "changes": [{"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}
                                 for c in p.changes]} for p in plan.of("update")],
        "unchanged": [{"key": p.key, "rows": p.rows} for p in plan.of("unchanged")],
        "stock_counts": [{"row": c.row, "product": c.product_key, "counted": c.counted,
                          "expected": c.expected, "location_id": c.location_id}
                         for c in plan.counts],
        "new_categories": plan.new_categories,
        "errors": [_issue(i) for i in plan.errors],
        "conflicts": [_issue(i) for i in plan.conflicts],
        "warnings": [_issue(i) for i in plan.warnings],
        "skipped": [_issue(i) for i in plan.skipped],
        "unmapped_columns": plan.unmapped_columns,
        "rejected_rows": plan.rejected_rows,
    }
    if result is not None:
        doc["applied"] = {"created": result.created, "updated": result.updated,
                          "stock_counts": result.counts,
                          "failed": [_issue(i) for i in result.failed]}
    return doc


def plan_text(plan: ImportPlan) -> str:
    lines = [
        f"File: {DIALECT_NAMES.get(plan.dialect, plan.dialect)} "
        + ", ".join(f"{k} {v}" for k, v in plan.details.items() if k != "locations"),
        f"{len(plan.of('create'))} to create, {len(plan.of('update'))} to update, "
        f"{len(plan.of('unchanged'))} unchanged, {len(plan.counts)} stock counts, "
        f"{len(plan.new_categories)} new categories",
        f"{len(plan.errors)} errors, {len(plan.conflicts)} conflicts, "
        f"{len(plan.warnings)} warnings; {len(plan.rejected_rows)} rows rejected",
    ]
    for p in plan.of("update")[:MAX_LISTED]:
        lines.append(f"  update {p.name} (rows {p.rows[0]}-{p.rows[-1]}):")
        lines += [f"    {c.field}: {c.old!r} → {c.new!r}" for c in p.changes[:20]]
    for title, issues in (("Errors", plan.errors), ("Conflicts", plan.conflicts),
                          ("Warnings", plan.warnings), ("Skipped", plan.skipped)):
        if issues:
            lines.append(f"{title}:")
            lines += [f"  row {i.row}" + (f" [{i.column}]" if i.column else "") + f": {i.message}"
                      for i in issues[:MAX_LISTED]]
            if len(issues) > MAX_LISTED:
                lines.append(f"  … and {len(issues) - MAX_LISTED} more")
    if plan.unmapped_columns:
        lines.append("Columns not imported: " + ", ".join(plan.unmapped_columns))
    return "\n".join(lines)
