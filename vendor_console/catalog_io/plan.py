"""The dry run: what importing a file would do, computed before anything is written.

For each product of the file: create, update (with field-level changes), unchanged, or
rejected (row errors, conflicts). Products are matched to the catalog by our ``client_ref``
(native files, and products an earlier import of the same handle created), then by SKU or
barcode, then by a unique name; a match that points at several products is a conflict and
is never guessed. Stock cells become counts; a file's "current" quantity that differs from
ours is a conflict (someone sold or counted since the export).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from vendor_console.catalog_io import values
from vendor_console.catalog_io.catalog_state import CatalogState, load_state
from vendor_console.catalog_io.model import ImportProduct, ImportVariant, ParsedFile, RowIssue
from vendor_console.catalog_io.plan_records import (
    ImportPlan,
    PlannedCount,
    PlannedProduct,
    derived_ref,
    diff,
)
from vendor_console.errors import DomainError, ValidationError
from vendor_console.services.catalog_records import (
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    ProductRecord,
    load_product,
    load_products,
)
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft, clean_product


class _Reject(Exception):
    def __init__(self, issue: RowIssue, conflict: bool = False) -> None:
        super().__init__(issue.message)
        self.issue = issue
        self.conflict = conflict


@dataclass
class _Planner:
    state: CatalogState
    conn: Connection
    parsed: ParsedFile
    plan: ImportPlan
    decimal_comma: bool
    location_map: dict[str, str] = field(default_factory=dict)  # file's name -> our id
    records: dict[str, ProductRecord] = field(default_factory=dict)  # matched, read once
    claimed: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, code) -> key
    new_categories: dict[str, str] = field(default_factory=dict)

    # -- matching --------------------------------------------------------------------------
    def match_product(self, p: ImportProduct) -> str | None:
        row = p.rows[0]
        for ref in filter(None, (p.client_ref, derived_ref(self.parsed.source, p.key))):
            found = self.state.product_refs.get(ref)
            if found is not None:
                if found[1]:
                    raise _Reject(RowIssue(row, None, (
                        f"“{p.fields.get('name') or p.key}” was removed from the catalog; it "
                        "is not brought back by an import.")), conflict=True)
                return found[0]
        by_code = {hit[1] for v in p.variants for kind in ("sku", "barcode")
                   if v.fields.get(kind) and (hit := getattr(self.state, kind).get(
                       v.fields[kind])) is not None}
        if len(by_code) > 1:
            raise _Reject(RowIssue(row, None, (
                f"The SKUs and barcodes of “{p.fields.get('name') or p.key}” belong to "
                f"{len(by_code)} different products in the catalog; match them by hand.")),
                conflict=True)
        if by_code:
            return by_code.pop()
        named = self.state.names.get(str(p.fields.get("name") or "").casefold(), [])
        if len(named) > 1:
            raise _Reject(RowIssue(row, None, (
                f"{len(named)} products in the catalog are called “{p.fields.get('name')}” "
                "and none shares a SKU or barcode with the file; rename or add codes.")),
                conflict=True)
        return named[0] if named else None

    @staticmethod
    def match_variant(v: ImportVariant, existing: ProductRecord,
                      taken: set[str]) -> str | None:
        live = [e for e in existing.variants if e.id not in taken]
        f = v.fields
        for key in ("client_ref", "sku", "barcode"):
            if f.get(key):
                hit = next((e.id for e in live if getattr(e, key) == f[key]), None)
                if hit:
                    return hit
        if f.get("options"):
            hit = next((e.id for e in live if e.options == f["options"]), None)
            if hit:
                return hit
        if len(existing.variants) == 1 and live and not f.get("options"):
            return live[0].id
        return None

    # -- building drafts -------------------------------------------------------------------
    def category(self, name: str | None) -> tuple[str | None, str | None]:
        """(category id, name) for a category name; a new name is created when applying."""
        clean = " ".join((name or "").split())
        if not clean:
            return None, None
        found = self.state.categories.get(clean.casefold())
        if found is None and clean.casefold() not in self.new_categories:
            self.new_categories[clean.casefold()] = clean
            self.plan.new_categories.append(clean)
        return found, clean

    def variant_values(self, v: ImportVariant, precision: int) -> dict[str, Any]:
        f = {k: val for k, val in v.fields.items() if k in VARIANT_FIELDS}
        if "price" in f and f["price"] is None:
            raise _Reject(RowIssue(v.row, "Price", "The price is blank; every variant needs "
                                                   "one."))
        if "low_stock_threshold_text" in v.fields:
            text = v.fields["low_stock_threshold_text"]
            try:
                f["low_stock_threshold"] = None if text is None else values.parse_quantity(
                    text, f.get("precision", precision), decimal_comma=self.decimal_comma)
            except values.CellError as exc:
                raise _Reject(RowIssue(v.row, "Stock Alert Count", exc.message)) from exc
        if "tax_rate_bp" in v.fields:
            bp = v.fields["tax_rate_bp"]
            if bp is not None and bp not in self.state.tax_by_bp:
                raise _Reject(RowIssue(v.row, None, (
                    f"No tax rate of {values.show_percent(bp)} % is set up in this shop; add "
                    "it in Settings, or change the file's tax columns.")))
            f["tax_rate_id"] = None if bp is None else self.state.tax_by_bp[bp]
        if "tax_code" in v.fields:
            code = v.fields["tax_code"]
            if code is not None and code not in self.state.tax_codes:
                raise _Reject(RowIssue(v.row, "tax_code", f"No tax rate has the code “{code}”."))
            f["tax_rate_id"] = None if code is None else self.state.tax_codes[code]
        return f

    def new_variant(self, v: ImportVariant) -> VariantDraft:
        if v.fields.get("price") is None:
            raise _Reject(RowIssue(v.row, "Price", "A new variant needs a price."))
        return VariantDraft(**self.variant_values(v, 0))

    def new_variants(
        self, imported: list[ImportVariant]
    ) -> tuple[list[VariantDraft], list[str | None]]:
        return [self.new_variant(v) for v in imported], [None] * len(imported)

    def merged_variants(
        self, imported: list[ImportVariant], existing: ProductRecord, drafts: list[VariantDraft]
    ) -> tuple[list[VariantDraft], list[str | None]]:
        """The stored variants with the file's values over them, then the file's new ones."""
        variant_ids: list[str | None] = []
        taken: set[str] = set()
        for v in imported:
            vid = self.match_variant(v, existing, taken)
            if vid is None:
                drafts.append(self.new_variant(v))
                variant_ids.append(None)
                continue
            taken.add(vid)
            i = next(i for i, d in enumerate(drafts) if d.id == vid)
            drafts[i] = replace(drafts[i], **self.variant_values(v, drafts[i].precision))
            variant_ids.append(vid)
        return drafts, variant_ids

    def record(self, product_id: str) -> ProductRecord:
        found = self.records.get(product_id)
        if found is None:
            found = self.records[product_id] = load_product(self.conn, product_id)
        return found

    def preload(self, products: list[ImportProduct]) -> None:
        """Read the products the file matches in bulk (not one by one while planning)."""
        ids = set()
        for p in products:
            try:
                ids.add(self.match_product(p))
            except _Reject:
                continue  # reported when the product is planned
        ids.discard(None)
        self.records.update(load_products(self.conn, sorted(i for i in ids if i)))

    def build(self, p: ImportProduct) -> PlannedProduct:
        product_id = self.match_product(p)
        existing = self.record(product_id) if product_id else None
        fields = {k: v for k, v in p.fields.items() if k in PRODUCT_FIELDS}
        category_id, category_name = None, None
        if "category_name" in p.fields:
            category_id, category_name = self.category(p.fields["category_name"])
        elif existing is not None:
            category_id, category_name = existing.category_id, existing.category_name
        if existing is None:
            base = ProductDraft(name=str(fields.pop("name", "") or ""))
            drafts, variant_ids = self.new_variants(p.variants)
        else:
            base = existing.to_draft()
            drafts, variant_ids = self.merged_variants(p.variants, existing, list(base.variants))
            if not fields.get("name"):
                fields.pop("name", None)
        draft = replace(base, **fields, variants=drafts, category_id=None)
        try:
            clean = clean_product(draft)
        except DomainError as exc:
            raise _Reject(RowIssue(p.rows[0], exc.field, exc.user_message)) from exc
        self.claim_codes(p, clean, product_id)
        planned = PlannedProduct("create" if existing is None else "update", p.key,
                                 clean.name, p.rows, replace(clean, category_id=category_id),
                                 product_id, p.client_ref or derived_ref(self.parsed.source, p.key),
                                 category_name)
        planned.takes_from_tombstone = any(
            code in self.state.tombstone_codes for v in clean.variants
            for code in (v.sku, v.barcode) if code)
        if existing is not None:
            planned.changes = diff(existing, clean, category_name)
            if not planned.changes:
                planned.action = "unchanged"
        self.stock(p, planned, variant_ids)
        return planned

    def claim_codes(self, p: ImportProduct, clean: ProductDraft, product_id: str | None) -> None:
        for v in clean.variants:
            for kind in ("sku", "barcode"):
                code = getattr(v, kind)
                if code is None:
                    continue
                holder = getattr(self.state, kind).get(code)
                if holder is not None and holder[1] != product_id:
                    raise _Reject(RowIssue(p.rows[0], kind, (
                        f"The {kind} “{code}” of “{clean.name}” is already used by another "
                        "product in the catalog.")), conflict=True)
                owner = self.claimed.setdefault((kind, code), p.key)
                if owner != p.key:
                    raise _Reject(RowIssue(p.rows[0], kind, (
                        f"The {kind} “{code}” is given to two products of the file "
                        f"(“{owner}” and “{p.key}”).")))

    # -- stock -----------------------------------------------------------------------------
    def location(self, name: str, row: int) -> str | None:
        if not name:
            return self.state.default_location
        if name.casefold() in self.location_map:
            return self.location_map[name.casefold()]
        found = self.state.locations.get(name.casefold())
        if found is None and len(self.parsed.details.get("locations") or [name]) == 1:
            found = self.state.default_location
            warning = RowIssue(row, None, f"The file's location “{name}” was taken as this "
                                          "shop's default location.")
            if warning.message not in {w.message for w in self.plan.warnings}:
                self.plan.warnings.append(warning)
        elif found is None:
            warning = RowIssue(row, None, f"No stock location here is called “{name}”; its "
                                          "quantities were not imported.")
            if warning.message not in {w.message for w in self.plan.warnings}:
                self.plan.warnings.append(warning)
        return found

    def stock(self, p: ImportProduct, planned: PlannedProduct,
              variant_ids: list[str | None]) -> None:
        ids = [d.id for d in planned.draft.variants]
        new_positions = [i for i, d in enumerate(planned.draft.variants) if d.id is None]
        for index, v in enumerate(p.variants):
            vid = variant_ids[index]
            position = ids.index(vid) if vid else new_positions[
                sum(1 for x in variant_ids[:index] if x is None)]
            variant = planned.draft.variants[position]
            self.counts_for(p.key, vid, position, variant, v.stock)

    def counts_for(self, key: str, vid: str | None, position: int, variant: VariantDraft,
                   entries: Any) -> None:
        for entry in entries:
            if entry.new is None:
                continue
            location_id = self.location(entry.location, entry.row)
            if location_id is None:
                continue
            if not variant.track_inventory:
                self.plan.warnings.append(RowIssue(entry.row, None, (
                    f"“{key}” does not track stock; its quantity was not imported.")))
                continue
            try:
                counted = values.parse_quantity(entry.new, variant.precision,
                                                decimal_comma=self.decimal_comma)
                current = None if entry.current is None else values.parse_quantity(
                    entry.current, variant.precision, decimal_comma=self.decimal_comma)
            except values.CellError as exc:
                hint = "" if vid is not None or variant.precision else (
                    " This file does not say the item's unit; import the Vendor Console JSONL "
                    "export, or import without this quantity and set the unit first.")
                raise _Reject(RowIssue(entry.row, entry.location or None,
                                       exc.message + hint)) from exc
            if counted < 0:
                raise _Reject(RowIssue(entry.row, entry.location or None,
                                       "A counted quantity cannot be negative."))
            ours = self.state.on_hand(vid, location_id)
            if counted == ours:  # already so (e.g. the same file imported again)
                continue
            if current is not None and vid is not None and current != ours:
                place = self.state.location_names.get(location_id, entry.location)
                raise _Reject(RowIssue(entry.row, entry.location or None, (
                    f"The file expected {values.show_quantity(current)} of “{key}” at {place}, "
                    f"the shop has {values.show_quantity(ours)} now (sold or counted since the "
                    "export). Export again, or clear the current quantity to count anyway.")),
                    conflict=True)
            self.plan.counts.append(PlannedCount(key, vid, position, location_id, counted, ours,
                                                 entry.row))


def _location_map(state: CatalogState, locations: Mapping[str, str] | None) -> dict[str, str]:
    """The user's mapping of the file's location names to ours (by name)."""
    mapped = {}
    for theirs, ours in (locations or {}).items():
        found = state.locations.get(ours.strip().casefold())
        if found is None:
            known = ", ".join(state.location_names.values())
            raise ValidationError(f"There is no stock location called “{ours}” here (there "
                                  f"is: {known}); nothing was changed.", field="locations")
        mapped[theirs.strip().casefold()] = found
    return mapped


def build_plan(conn: Connection, parsed: ParsedFile,
               locations: Mapping[str, str] | None = None) -> ImportPlan:
    """The plan for ``parsed`` against the catalog as ``conn`` sees it (read or write tx).
    ``locations`` maps location names of the file to ours; unmapped names are matched by
    name, and a file with a single location puts it at the default location."""
    plan = ImportPlan(parsed.dialect, dict(parsed.details), errors=list(parsed.errors),
                      warnings=list(parsed.warnings),
                      unmapped_columns=list(parsed.unmapped_columns))
    state = load_state(conn)
    plan.our_locations = sorted(state.location_names.values())
    planner = _Planner(state, conn, parsed, plan, bool(parsed.details.get("decimal_comma")),
                       _location_map(state, locations))
    planner.preload([p for p in parsed.products if not p.errors])
    for p in parsed.products:
        if p.errors:
            plan.errors += p.errors
            continue
        if p.fields.pop("archived", False):
            plan.skipped.append(RowIssue(p.rows[0], "Archived", (
                f"“{p.fields.get('name') or p.key}” is archived in the file; not imported.")))
            continue
        counts_before = len(plan.counts)
        try:
            plan.products.append(planner.build(p))
        except _Reject as reject:
            del plan.counts[counts_before:]
            (plan.conflicts if reject.conflict else plan.errors).append(reject.issue)
    for s in parsed.stock_rows:
        _inventory_row(planner, s)
    # Only the categories of products that will be written (not those of rejected ones).
    wanted: dict[str, str] = {}
    for planned in plan.products:
        name = planned.category_name
        if name and planned.draft.category_id is None and planned.action != "unchanged":
            wanted.setdefault(name.casefold(), name)
    plan.new_categories = list(wanted.values())
    return plan


def _inventory_row(planner: _Planner, s: Any) -> None:
    state = planner.state
    vid = pid = None
    if s.sku and s.sku in state.sku:
        vid, pid = state.sku[s.sku]
    else:
        found = state.product_refs.get(derived_ref("shopify", s.handle))
        pid = found[0] if found and not found[1] else None
        named = state.names.get(s.title.casefold(), []) if s.title else []
        if pid is None and len(named) == 1:
            pid = named[0]
    if pid is None:
        planner.plan.errors.append(RowIssue(s.row, "SKU" if s.sku else "Handle", (
            f"No product in the catalog has the SKU “{s.sku}”." if s.sku else
            f"No product in the catalog came from the handle “{s.handle}”.")))
        return
    product = planner.record(pid)
    if vid is None:
        vid = next((v.id for v in product.variants if v.options == s.options), None)
        if vid is None and len(product.variants) == 1 and not s.options:
            vid = product.variants[0].id
    variant = next((v for v in product.variants if v.id == vid), None)
    if variant is None:
        planner.plan.errors.append(RowIssue(s.row, "Option1 Value", (
            f"{product.name} has no variant {' / '.join(s.options.values()) or '(default)'}.")))
        return
    counts_before = len(planner.plan.counts)
    try:
        planner.counts_for(product.name, variant.id, variant.position, variant.to_draft(),
                           s.stock)
    except _Reject as reject:
        del planner.plan.counts[counts_before:]
        (planner.plan.conflicts if reject.conflict else planner.plan.errors).append(reject.issue)
