"""What the plan compares a file against: the stored catalog's keys, read once per plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, or_, select

from local_db.tables import categories, locations, products, stock_levels, tax_rates, variants


@dataclass
class CatalogState:
    product_refs: dict[str, tuple[str, bool]] = field(default_factory=dict)  # ref -> id, archived
    product_ids: set[str] = field(default_factory=set)  # live
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sku: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> variant id, product id
    barcode: dict[str, tuple[str, str]] = field(default_factory=dict)
    variant_refs: dict[str, tuple[str, str]] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)  # casefolded name -> id
    locations: dict[str, str] = field(default_factory=dict)  # casefolded name -> id
    location_names: dict[str, str] = field(default_factory=dict)  # id -> name
    default_location: str | None = None
    levels: dict[tuple[str, str], int] = field(default_factory=dict)
    tax_codes: dict[str, str] = field(default_factory=dict)
    tax_by_bp: dict[int, str] = field(default_factory=dict)  # rate in basis points -> id
    tombstone_codes: set[str] = field(default_factory=set)  # SKUs/barcodes archived rows hold

    def on_hand(self, variant_id: str | None, location_id: str) -> int:
        return 0 if variant_id is None else self.levels.get((variant_id, location_id), 0)


def load_state(conn: Connection) -> CatalogState:
    state = CatalogState()
    for pid, ref, name, archived in conn.execute(
            select(products.c.id, products.c.client_ref, products.c.name, products.c.archived_at)):
        state.product_refs[ref] = (pid, archived is not None)
        state.product_refs.setdefault(pid, (pid, archived is not None))
        if archived is None:
            state.product_ids.add(pid)
            state.names[name.casefold()].append(pid)
    live = (variants.c.archived_at.is_(None), products.c.archived_at.is_(None))
    for vid, pid, ref, sku, barcode in conn.execute(
            select(variants.c.id, variants.c.product_id, variants.c.client_ref, variants.c.sku,
                   variants.c.barcode)
            .join(products, products.c.id == variants.c.product_id).where(*live)):
        state.variant_refs[ref] = (vid, pid)
        if sku:
            state.sku[sku] = (vid, pid)
        if barcode:
            state.barcode[barcode] = (vid, pid)
    for sku, barcode in conn.execute(
            select(variants.c.sku, variants.c.barcode)
            .join(products, products.c.id == variants.c.product_id)
            .where(or_(variants.c.archived_at.is_not(None), products.c.archived_at.is_not(None)),
                   or_(variants.c.sku.is_not(None), variants.c.barcode.is_not(None)))):
        state.tombstone_codes.update(c for c in (sku, barcode) if c)
    for cid, name in conn.execute(select(categories.c.id, categories.c.name)
                                  .where(categories.c.archived_at.is_(None))):
        state.categories.setdefault(name.casefold(), cid)
    for lid, name, default in conn.execute(
            select(locations.c.id, locations.c.name, locations.c.is_default)
            .where(locations.c.archived_at.is_(None))):
        state.locations[name.casefold()] = lid
        state.location_names[lid] = name
        if default:
            state.default_location = lid
    for vid, lid, on_hand in conn.execute(
            select(stock_levels.c.variant_id, stock_levels.c.location_id, stock_levels.c.on_hand)):
        state.levels[(vid, lid)] = on_hand
    for tid, code, rate_bp in conn.execute(
            select(tax_rates.c.id, tax_rates.c.code, tax_rates.c.rate_bp)
            .where(tax_rates.c.archived_at.is_(None)).order_by(tax_rates.c.code)):
        state.tax_codes[code] = tid
        state.tax_by_bp.setdefault(rate_bp, tid)
    return state
