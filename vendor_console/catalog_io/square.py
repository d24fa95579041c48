"""Square item library (Items → Export library), CSV or XLSX: one row per variation.

Rows with the same ``Reference Handle`` (else ``Item Name``) form one item. Stock comes from
``New Quantity <Location>`` (a count; blank = no change) with ``Current Quantity <Location>``
as the value the exporter saw. See research/api_contract.md section 4.1 and 4.3.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import partial

from vendor_console.catalog_io import values
from vendor_console.catalog_io.cells import RowReader, split_list
from vendor_console.catalog_io.model import (
    ImportProduct,
    ImportVariant,
    ParsedFile,
    RowIssue,
    StockEntry,
)
from vendor_console.catalog_io.table import Table, detect_decimal_comma

# Longest prefix first, so "Stock Alert Enabled X" is not read as "Enabled" of "Stock Alert…".
_LOCATION = re.compile(
    r"^(Stock Alert Enabled|Stock Alert Count|Current Quantity|New Quantity|Enabled|Price) (.+)$",
    re.IGNORECASE)
_TAX = re.compile(r"^Tax - (.+) \((\d+(?:\.\d+)?)%\)$", re.IGNORECASE)
_KNOWN = {c.casefold() for c in (
    "Reference Handle", "Token", "Item Name", "Customer-facing Name", "Variation Name", "SKU",
    "Description", "Categories", "Category", "Reporting Category", "GTIN",
    "Square Online Item Visibility", "Item Type", "Weight (kg)", "Weight (lb)", "Price",
    "Online Sale Price", "Archived", "Sellable", "Stockable", "Option Name 1", "Option Value 1",
    "Option Name 2", "Option Value 2", "Option Name 3", "Option Value 3", "Default Unit Cost")}
_VISIBILITY = {"visible": ("VISIBLE", "AVAILABLE"), "hidden": ("HIDDEN", "AVAILABLE"),
               "unavailable": ("VISIBLE", "SOLD_OUT"),
               "y": ("VISIBLE", "AVAILABLE"), "n": ("HIDDEN", "AVAILABLE")}  # generators' Y/N


def is_square(table: Table) -> bool:
    return table.has("Item Name") and (table.has("Token") or table.has("Variation Name"))


def _columns(
    table: Table, parsed: ParsedFile
) -> tuple[dict[str, dict[str, str]], list[tuple[str, int]]]:
    """The per-location columns (location -> kind -> column) and the tax columns (column,
    rate in basis points); other unknown columns are listed as not imported."""
    locations: dict[str, dict[str, str]] = {}  # location -> kind -> column
    taxes: list[tuple[str, int]] = []  # (column, rate in basis points)
    for header in table.headers:
        match = _LOCATION.match(header)
        tax = _TAX.match(header)
        if tax:
            taxes.append((header, int(Decimal(tax.group(2)) * 100)))
        elif match and header.casefold() not in _KNOWN:
            locations.setdefault(match.group(2), {})[match.group(1).casefold()] = header
        elif header.casefold() not in _KNOWN:
            parsed.unmapped_columns.append(header)
    for kinds in locations.values():
        if "price" in kinds:
            parsed.unmapped_columns.append(kinds.pop("price"))
    return locations, taxes


def read_square(table: Table, digits: int) -> ParsedFile:
    parsed = ParsedFile("square", "square", details=dict(table.details))
    locations, taxes = _columns(table, parsed)
    parsed.details["locations"] = [n for n, k in locations.items() if k]
    if any(n.casefold() == "component inventory" for n in table.details.get("other_sheets", ())):
        parsed.warnings.append(RowIssue(1, None, (
            "The sheet “Component Inventory” (items sold by one unit and stocked by another) "
            "was not imported; set those items' units by hand.")))
    money_columns = [table.first("Price"), table.first("Online Sale Price"),
                     table.first("Default Unit Cost")]
    decimal_comma = detect_decimal_comma(table, money_columns)
    parsed.details["decimal_comma"] = decimal_comma
    groups: dict[str, ImportProduct] = {}
    item_names: dict[str, str] = {}
    for row, cells in table.rows:
        r = RowReader(table, cells, row, digits, decimal_comma)
        name = r.text("Item Name")
        key = r.text("Reference Handle") or name
        if not key:
            parsed.errors.append(RowIssue(row, "Item Name", "The row has no Item Name."))
            continue
        product = groups.get(key)
        if product is None:
            product = groups[key] = ImportProduct(key=key, rows=[])
            item_names[key] = name
            _product_fields(r, product, parsed)
            parsed.products.append(product)
        elif name and name != item_names[key]:
            product.errors.append(RowIssue(row, "Reference Handle", (
                f"The handle “{key}” is used for two different items (“{item_names[key]}” on "
                f"row {product.rows[0]} and “{name}” here).")))
        item_names.setdefault(key, name)
        product.rows.append(row)
        product.variants.append(_variant(r, locations))
        _tax(r, product.variants[-1], taxes)
        product.errors += r.errors
        parsed.warnings += r.warnings
    for product in parsed.products:  # "Regular" is Square's name for an item's only variation
        if len(product.variants) == 1 and str(
                product.variants[0].fields.get("name", "")).casefold() == "regular":
            product.variants[0].fields["name"] = ""
    return parsed


def _product_fields(r: RowReader, product: ImportProduct, parsed: ParsedFile) -> None:
    f = product.fields
    name = r.get("Customer-facing Name") or r.get("Item Name")
    f["name"] = name
    if r.get("Description") is not None:
        f["description"] = r.text("Description") or None
    category = r.get("Categories", "Category", "Reporting Category")
    if category is not None:
        f["category_name"] = next(iter(split_list(category)), None)
    visibility = r.get("Square Online Item Visibility")
    if visibility:
        pair = _VISIBILITY.get(visibility.casefold())
        if pair is None:
            r.error("Square Online Item Visibility",
                    f"“{visibility}” is not visible, hidden or unavailable.")
        else:
            f["visibility"], f["availability"] = pair
    for column in ("Sellable", "Archived"):
        raw = r.get(column)
        if not raw:
            continue
        try:
            flag = values.parse_bool(raw)
        except values.CellError as exc:
            r.error(column, exc.message)
            continue
        if column == "Sellable" and not flag:
            f["visibility"] = "HIDDEN"
        if column == "Archived" and flag:
            f["archived"] = True
    for column, unit in (("Weight (kg)", "kg"), ("Weight (lb)", "lb")):
        r.put(f, "weight_g", (column,), partial(values.parse_grams, unit=unit,
                                                decimal_comma=r.decimal_comma))


def _tax(r: RowReader, variant: ImportVariant, taxes: list[tuple[str, int]]) -> None:
    """``Tax - VAT (20%)`` = Y: the variant is taxed at 20 % (one tax per variant here)."""
    if not taxes:
        return
    chosen = []
    for column, bp in taxes:
        try:
            if values.parse_bool(r.table.cell(r.cells, column) or ""):
                chosen.append(bp)
        except values.CellError as exc:
            r.error(column, exc.message)
    if len(chosen) > 1:
        r.error(None, "Several taxes are marked Y; a variant here has one tax rate.")
    variant.fields["tax_rate_bp"] = chosen[0] if chosen else None


def _variant(r: RowReader, locations: dict[str, dict[str, str]]) -> ImportVariant:
    v = ImportVariant(r.row)
    f = v.fields
    if r.get("Variation Name") is not None:
        name = r.text("Variation Name")
        f["name"] = name
    options: dict[str, str] = {}
    for i in (1, 2, 3):
        key, value = r.text(f"Option Name {i}"), r.text(f"Option Value {i}")
        if key:
            options[key] = value
    if r.table.has("Option Name 1"):
        f["options"] = options
    r.codes(f, ("SKU",), ("GTIN",))
    r.money(f, "price", "Price")
    sale: dict[str, int | None] = {}
    r.money(sale, "sale", "Online Sale Price")
    price, offer = f.get("price"), sale.get("sale")
    if offer is not None and price is not None and offer < price:
        f["compare_at_price"], f["price"] = price, offer
    elif "sale" in sale:
        f["compare_at_price"] = None
    r.money(f, "cost", "Default Unit Cost")
    r.put(f, "track_inventory", ("Stockable",), values.parse_bool, blank=True)
    for location, kinds in locations.items():
        if "new quantity" in kinds or "current quantity" in kinds:
            new = r.table.cell(r.cells, kinds.get("new quantity"))
            current = r.table.cell(r.cells, kinds.get("current quantity"))
            v.stock.append(StockEntry(location, new or None, current or None, r.row))
        alert = r.table.cell(r.cells, kinds.get("stock alert enabled"))
        count = r.table.cell(r.cells, kinds.get("stock alert count"))
        if alert is not None and "low_stock_threshold_text" not in f:
            try:
                on = values.parse_bool(alert)
            except values.CellError as exc:
                r.error(kinds["stock alert enabled"], exc.message)
                continue
            f["low_stock_threshold_text"] = count if on and count else None
    return v
