"""The catalog: create, edit and archive products; search; find by barcode or SKU.

Every edit is one ``db.write``: the product, its variants, its search keywords and the outbox
row that tells the marketplace are committed together, or nothing is written. Validation that
needs no database lives in ``catalog_validation``, the checks and rows inside the transaction in
``catalog_writes`` and ``catalog_tx`` (the writes as functions of one transaction, which
the importer runs many of in one), the records handed out in ``catalog_records``.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update

from local_db import lookups
from local_db.database import Database
from local_db.search import SearchHit, search_products
from local_db.tables import products
from local_db.types import utc_now
from local_db.writer import Tx
from vendor_console.barcodes import gtin_equivalents, normalize_barcode
from vendor_console.errors import NotFound, ValidationError
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services import catalog_tx as tx_writes
from vendor_console.services import outbox
from vendor_console.services.catalog_records import (
    CategoryRecord,
    ProductRecord,
    load_categories,
    load_product,
)
from vendor_console.services.catalog_validation import ProductDraft, VariantDraft, clean_product

__all__ = ["CatalogService", "CategoryRecord", "ProductDraft", "ProductRecord", "VariantDraft"]

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


class CatalogService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading ---------------------------------------------------------------------------
    def get_product(self, product_id: str) -> ProductRecord:
        with self._db.read() as conn:
            return load_product(conn, product_id)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        with self._db.read() as conn:
            return search_products(conn, text, limit)

    def find_by_barcode(self, code: str) -> lookups.VariantRecord | None:
        """The variant with this barcode (a UPC also finds its EAN-13 form); a live one first.

        Raises ``InvalidBarcode`` for a GTIN with a wrong check digit."""
        found = None
        with self._db.read() as conn:
            for candidate in gtin_equivalents(normalize_barcode(code)):
                record = lookups.variant_by_barcode(conn, candidate)
                if record is not None and not record.archived:
                    return record
                found = found or record
        return found

    def find_by_sku(self, sku: str) -> lookups.VariantRecord | None:
        text = sku.strip()
        if not text:
            return None
        with self._db.read() as conn:
            return lookups.variant_by_sku(conn, text) or (
                lookups.variant_by_sku(conn, text.upper()) if text.upper() != text else None
            )

    def list_categories(self) -> list[CategoryRecord]:
        with self._db.read() as conn:
            return load_categories(conn)

    # -- writing ---------------------------------------------------------------------------
    def create_category(
        self, actor: Actor, name: str, parent_id: str | None = None, color: str | None = None
    ) -> CategoryRecord:
        require(actor, Permission.EDIT_CATALOG)
        clean = " ".join(name.split())
        if not clean or len(clean) > 200:
            raise ValidationError("Give the category a name (up to 200 characters).",
                                  field="name")
        if color is not None and not _COLOR.fullmatch(color):
            raise ValidationError("A category colour is written like #A0C4FF.", field="color")
        return self._db.write(lambda tx: tx_writes.create_category(tx, clean, parent_id, color))

    def create_product(
        self, actor: Actor, draft: ProductDraft, *, approver: Actor | None = None
    ) -> ProductRecord:
        require(actor, Permission.EDIT_CATALOG, approver)
        clean = clean_product(draft)
        return self.get_product(self._db.write(lambda tx: tx_writes.create_product(tx, clean)))

    def update_product(
        self, actor: Actor, product_id: str, draft: ProductDraft, *, approver: Actor | None = None
    ) -> ProductRecord:
        """Apply ``draft``: variants with an ``id`` are edited, new ones created, and stored
        variants missing from the draft archived. Nothing changed = nothing written."""
        require(actor, Permission.EDIT_CATALOG, approver)
        clean = clean_product(draft)
        self._db.write(lambda tx: tx_writes.update_product(tx, product_id, clean))
        return self.get_product(product_id)

    def archive_product(
        self, actor: Actor, product_id: str, *, approver: Actor | None = None
    ) -> None:
        """Tombstone the product: gone from search and the till, kept for old sales."""
        require(actor, Permission.EDIT_CATALOG, approver)

        def write(tx: Tx) -> None:
            row = tx.conn.execute(
                select(products.c.client_ref, products.c.version, products.c.archived_at)
                .where(products.c.id == product_id)
            ).first()
            if row is None:
                raise NotFound("That product is not in the catalog.")
            if row.archived_at is not None:
                return
            now = utc_now()
            tx.conn.execute(update(products).where(products.c.id == product_id)
                            .values(archived_at=now, updated_at=now))
            outbox.enqueue(tx, "product", product_id, "delete",
                           {"client_ref": row.client_ref, "base_version": row.version})
            tx.changed("product", product_id)

        self._db.write(write)

