"""The dry-run report as text (terminal, the wizard) and as JSON (``--json``)."""

from __future__ import annotations

from typing import Any

from vendor_console.catalog_io.apply import ImportResult
from vendor_console.catalog_io.model import RowIssue
from vendor_console.catalog_io.plan_records import ImportPlan
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


def describe_file(plan: ImportPlan) -> str:
    """``Shopify product CSV (2024+ headers): CSV, UTF-8 with BOM, CRLF, comma-separated…``"""
    d = plan.details
    parts = [str(d.get("format", "")).upper()]
    if d.get("format") == "csv":
        parts += [str(d.get("encoding", "")).upper() + (" with BOM" if d.get("bom") else ""),
                  f"{d.get('line_endings')} line endings", f"{d.get('delimiter')}-separated"]
    if d.get("format") == "xlsx":
        parts.append(f"sheet “{d.get('sheet')}”, header on row {d.get('header_row')}")
    if "decimal_comma" in d:
        parts.append("decimal commas" if d["decimal_comma"] else "decimal points")
    if d.get("locations"):
        parts.append("locations: " + ", ".join(d["locations"]))
    if d.get("image_rows_skipped"):
        parts.append(f"{d['image_rows_skipped']} image rows skipped")
    return f"{DIALECT_NAMES.get(plan.dialect, plan.dialect)}: " + ", ".join(p for p in parts if p)


def rows_word(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def plan_text(plan: ImportPlan) -> str:
    lines = [
        describe_file(plan),
        f"{len(plan.of('create'))} to create, {len(plan.of('update'))} to update, "
        f"{len(plan.of('unchanged'))} unchanged, {len(plan.counts)} stock counts, "
        f"{len(plan.new_categories)} new categories",
        f"{len(plan.errors)} errors, {len(plan.conflicts)} conflicts, "
        f"{len(plan.warnings)} warnings; {rows_word(len(plan.rejected_rows))} rejected",
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
