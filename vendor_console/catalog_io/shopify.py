"""Shopify product CSV, legacy (``Handle``, ``Variant Price``…) and 2024+ (``URL handle``,
``Price``…) headers: rows sharing a handle form one product; the first carries the product.

Legacy names are read through the rename pairs of research/api_contract.md section 4.2.
Image-only rows (handle + image URL) are skipped: images are not imported from CSV.
"""

from __future__ import annotations

import html
import re

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

# 2024+ name -> its legacy name
LEGACY = {
    "URL handle": "Handle", "Description": "Body (HTML)", "Price": "Variant Price",
    "Compare-at price": "Variant Compare At Price", "SKU": "Variant SKU",
    "Barcode": "Variant Barcode", "Inventory quantity": "Variant Inventory Qty",
    "Continue selling when out of stock": "Variant Inventory Policy",
    "Weight value (grams)": "Variant Grams", "Product image URL": "Image Src",
    "Variant image URL": "Variant Image", "Published on online store": "Published",
    "Charge tax": "Variant Taxable", "Inventory tracker": "Variant Inventory Tracker",
    "Product category": "Product Category", "Option1 name": "Option1 Name",
    "Option1 value": "Option1 Value", "Option2 name": "Option2 Name",
    "Option2 value": "Option2 Value", "Option3 name": "Option3 Name",
    "Option3 value": "Option3 Value", "Cost per item": "Cost per item", "Title": "Title",
    "Type": "Type", "Tags": "Tags", "Status": "Status",
}
_USED = {n.casefold() for pair in LEGACY.items() for n in pair} - {
    "product image url", "image src", "variant image url", "variant image", "charge tax",
    "variant taxable"}
_TAG = re.compile(r"<[^>]+>")
_METAFIELD = re.compile(r"^(.*) \((product|variant)\.metafields\.([^.]+)\.(.+)\)$")


def is_shopify_products(table: Table) -> bool:
    return (table.has("URL handle") and table.has("Price")) or (
        table.has("Handle") and (table.has("Variant Price") or table.has("Body (HTML)")))


def _names(name: str) -> tuple[str, str]:
    return name, LEGACY.get(name, name)


def html_to_text(text: str) -> str:
    spaced = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</div>", "\n", text)
    lines = (" ".join(line.split()) for line in html.unescape(_TAG.sub("", spaced)).split("\n"))
    return "\n".join(line for line in lines if line)


def read_shopify(table: Table, digits: int) -> ParsedFile:
    legacy = not table.has("URL handle")
    parsed = ParsedFile("shopify_legacy" if legacy else "shopify_2024", "shopify",
                        details=dict(table.details))
    dietary = [h for h in table.headers
               if (m := _METAFIELD.match(h)) and "dietary" in (m.group(1) + m.group(4)).casefold()]
    parsed.unmapped_columns = [h for h in table.headers
                               if h.casefold() not in _USED and h not in dietary]
    decimal_comma = detect_decimal_comma(table, [table.first(*_names(n)) for n in (
        "Price", "Compare-at price", "Cost per item")])
    parsed.details["decimal_comma"] = decimal_comma
    groups: dict[str, ImportProduct] = {}
    option_names: dict[str, list[str]] = {}
    image_rows = 0
    for row, cells in table.rows:
        r = RowReader(table, cells, row, digits, decimal_comma)
        key = r.text(*_names("URL handle"))
        if not key:
            parsed.errors.append(RowIssue(row, table.first(*_names("URL handle")),
                                          "The row has no handle."))
            continue
        title = r.text("Title")
        product = groups.get(key)
        if product is None:
            product = groups[key] = ImportProduct(key=key, rows=[])
            parsed.products.append(product)
            _product_fields(r, product)
            _dietary(r, product, dietary)
            if not title:
                product.errors.append(RowIssue(row, "Title", "A new product needs a Title."))
        elif title and title != product.fields.get("name"):
            product.errors.append(RowIssue(row, table.first(*_names("URL handle")), (
                f"The handle “{key}” is used for two different products "
                f"(“{product.fields.get('name')}” on row {product.rows[0]} and “{title}” "
                "here).")))
        product.rows.append(row)
        names = option_names.setdefault(key, ["", "", ""])
        for i in range(3):
            names[i] = r.text(*_names(f"Option{i + 1} name")) or names[i]
        variant_cells = [r.get(*_names(n)) for n in (
            "Option1 value", "SKU", "Price", "Barcode")]
        if not any(variant_cells):
            image_rows += 1
            continue
        product.variants.append(_variant(r, names))
        if product.variants[0].fields.get("weight_g") is not None:
            product.fields.setdefault("weight_g", product.variants[0].fields.pop("weight_g"))
        product.variants[-1].fields.pop("weight_g", None)
        product.errors += r.errors
        parsed.warnings += r.warnings
    parsed.details["image_rows_skipped"] = image_rows
    return parsed


def _product_fields(r: RowReader, product: ImportProduct) -> None:
    f = product.fields
    f["name"] = r.text("Title")
    description = r.get(*_names("Description"))
    if description is not None:
        f["description"] = html_to_text(description) or None
    kind = r.get("Type")
    category = r.get(*_names("Product category"))
    if kind or category:
        f["category_name"] = kind or (category or "").split(">")[-1].strip() or None
    elif kind is not None or category is not None:
        f["category_name"] = None
    if r.get("Tags") is not None:
        f["dietary_tags"] = split_list(r.text("Tags"))
    r.put(f, "visibility", _names("Published on online store"),
          lambda t: "VISIBLE" if values.parse_bool(t) else "HIDDEN", blank="HIDDEN")
    status = r.text("Status").casefold()
    if status == "draft":
        f["visibility"] = "HIDDEN"
    elif status == "archived":
        f["archived"] = True  # not imported, as Square's Archived = Y
    elif status not in ("", "active"):
        r.error("Status", f"“{r.text('Status')}” is not active, draft or archived.")


def _dietary(r: RowReader, product: ImportProduct, columns: list[str]) -> None:
    """Dietary metafields (e.g. ``Dietary preferences (product.metafields.shopify.…)``) add
    to the tags: "Gluten free; Vegan" -> gluten-free, vegan."""
    extra = [re.sub(r"\s+", "-", t.strip().casefold()) for c in columns
             for t in re.split(r"[,;|]", r.table.cell(r.cells, c) or "") if t.strip()]
    if extra:
        tags = list(product.fields.get("dietary_tags") or [])
        product.fields["dietary_tags"] = list(dict.fromkeys(tags + extra))


def _policy(text: str) -> str:
    value = text.strip().casefold()
    if value in ("continue", "true", "yes", "y", "1"):
        return "CONTINUE"
    if value in ("deny", "false", "no", "n", "0"):
        return "DENY"
    raise values.CellError(f"“{text}” is not deny or continue.")


def _variant(r: RowReader, names: list[str]) -> ImportVariant:
    v = ImportVariant(r.row)
    f = v.fields
    options = {names[i]: r.text(*_names(f"Option{i + 1} value"))
               for i in range(3) if names[i] and r.text(*_names(f"Option{i + 1} value"))}
    if options == {"Title": "Default Title"}:
        options = {}
    f["options"] = options
    f["name"] = " / ".join(options.values())
    r.codes(f, _names("SKU"), _names("Barcode"))
    r.money(f, "price", *_names("Price"))
    r.money(f, "compare_at_price", *_names("Compare-at price"))
    r.money(f, "cost", "Cost per item")
    r.put(f, "track_inventory", _names("Inventory tracker"),
          lambda t: t.strip().casefold() not in ("", "false", "no", "n", "0"), blank=False)
    r.put(f, "inventory_policy", _names("Continue selling when out of stock"), _policy,
          blank="DENY")
    r.put(f, "weight_g", _names("Weight value (grams)"),
          lambda t: values.parse_grams(t, decimal_comma=r.decimal_comma))
    quantity = r.get(*_names("Inventory quantity"))
    if quantity:
        v.stock.append(StockEntry("", quantity, None, r.row))
    return v
