"""Shopify inventory CSV (Products → Inventory → Export), its three layouts:

- old: ``Handle, Title, Option1 Name … Option3 Value, SKU, <Location A>, <Location B>…``
- 2023: ``…, SKU, Location, Incoming, Unavailable, Committed, Available, On hand``
- 2024+: ``…, SKU, HS Code, COO, Location, Bin name, … On hand (current), On hand (new)``

Each becomes counts (``On hand (new)``; ``On hand (current)`` as the value expected);
``not stocked`` and blank cells mean no change.
"""

from __future__ import annotations

from vendor_console.catalog_io.model import ParsedFile, RowIssue, StockEntry, StockRow
from vendor_console.catalog_io.table import Table

_FIXED = {c.casefold() for c in (
    "Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
    "Option3 Name", "Option3 Value", "SKU", "HS Code", "COO", "Location", "Bin name",
    "Incoming", "Unavailable", "Committed", "Available", "On hand", "Incoming (not editable)",
    "Unavailable (not editable)", "Committed (not editable)", "Available (not editable)",
    "On hand (current)", "On hand (new)")}
NOT_STOCKED = "not stocked"


def inventory_layout(table: Table) -> str | None:
    if not table.has("Handle"):
        return None
    if table.has("Location", "On hand (new)"):
        return "shopify_inventory_2024"
    if table.has("Location", "On hand"):
        return "shopify_inventory_2023"
    if table.has("SKU") and any(h.casefold() not in _FIXED for h in table.headers):
        return "shopify_inventory_old"
    return None


def _count(text: str | None) -> str | None:
    value = (text or "").strip()
    return None if not value or value.casefold() == NOT_STOCKED else value


def read_inventory(table: Table, layout: str) -> ParsedFile:
    parsed = ParsedFile(layout, "shopify", details=dict(table.details))
    location_columns = [h for h in table.headers if h.casefold() not in _FIXED]
    if layout == "shopify_inventory_old":
        parsed.details["locations"] = location_columns
    else:
        parsed.unmapped_columns = location_columns
    for row, cells in table.rows:
        handle = table.cell(cells, "Handle") or ""
        sku = table.cell(cells, "SKU") or None
        if not handle and not sku:
            parsed.errors.append(RowIssue(row, "Handle", "The row has neither handle nor SKU."))
            continue
        options = {}
        for i in (1, 2, 3):
            name = table.cell(cells, f"Option{i} Name") or ""
            value = table.cell(cells, f"Option{i} Value") or ""
            if name and value and (name, value) != ("Title", "Default Title"):
                options[name] = value
        if layout == "shopify_inventory_old":
            stock = tuple(StockEntry(c, _count(table.cell(cells, c)), None, row)
                          for c in location_columns)
        else:
            location = table.cell(cells, "Location") or ""
            if layout == "shopify_inventory_2024":
                new = table.cell(cells, "On hand (new)")
                current = table.cell(cells, "On hand (current)")
            else:
                new, current = table.cell(cells, "On hand"), None
            stock = (StockEntry(location, _count(new), _count(current), row),)
        parsed.stock_rows.append(StockRow(row, handle, options, sku, stock,
                                         table.cell(cells, "Title") or ""))
    return parsed
