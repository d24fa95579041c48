"""What the readers make of a file: products with variants and stock, independent of dialect.

Only the fields a file actually has are set (``fields`` dicts): a column missing from the
file leaves the stored value alone, a blank cell in a present column clears it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RowIssue:
    row: int  # as a spreadsheet numbers it: the header is row 1 in a CSV
    column: str | None
    message: str


@dataclass(frozen=True, slots=True)
class StockEntry:
    """A count from the file for one variant at one location (quantities scaled)."""

    location: str  # the file's location name ("" = the shop's default location)
    new: str | None  # raw text: blank = no change; parsed once the variant's precision is known
    current: str | None
    row: int


@dataclass(slots=True)
class ImportVariant:
    row: int
    fields: dict[str, Any] = field(default_factory=dict)  # VARIANT_FIELDS that the file set
    stock: list[StockEntry] = field(default_factory=list)


@dataclass(slots=True)
class ImportProduct:
    """One product of the file. ``key`` is its handle (or ``Item Name``/``client_ref``)."""

    key: str
    rows: list[int]
    fields: dict[str, Any] = field(default_factory=dict)  # PRODUCT_FIELDS + "category_name"
    variants: list[ImportVariant] = field(default_factory=list)
    client_ref: str | None = None  # native files carry ours
    errors: list[RowIssue] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StockRow:
    """A row of a Shopify inventory CSV: find the variant by SKU, else handle + options."""

    row: int
    handle: str
    options: dict[str, str]
    sku: str | None
    stock: tuple[StockEntry, ...]
    title: str = ""


@dataclass(slots=True)
class ParsedFile:
    dialect: str  # square, shopify_legacy, shopify_2024, shopify_inventory_*, native
    source: str  # square, shopify, native: the namespace of handles
    products: list[ImportProduct] = field(default_factory=list)
    stock_rows: list[StockRow] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)  # rows that belong to no product
    warnings: list[RowIssue] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # encoding, delimiter, …
