"""Catalog import and export: Square item library (CSV/XLSX), Shopify product and inventory
CSVs, and the native JSONL; a dry-run plan before anything is written. No Qt."""

from vendor_console.catalog_io.apply import ImportCancelled, ImportRejected, ImportResult
from vendor_console.catalog_io.plan_records import ImportPlan
from vendor_console.catalog_io.service import CatalogTransfer
from vendor_console.catalog_io.table import ImportFileError

__all__ = ["CatalogTransfer", "ImportCancelled", "ImportFileError", "ImportPlan",
           "ImportRejected", "ImportResult"]
