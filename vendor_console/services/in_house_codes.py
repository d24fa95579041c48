"""In-house barcodes: new EAN-13s in the shop's own range (prefix 20), and giving them to
variants that have no code, so their labels can be printed.

The next number comes from the ``counters`` table inside the write; a number already used
by any variant (the demo's codes, an imported one) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, select

from local_db.database import Database
from local_db.tables import products, variants
from local_db.writer import Tx
from vendor_console.barcodes import generate_in_house
from vendor_console.errors import ValidationError
from vendor_console.permissions import Actor, Permission, require
from vendor_console.services.catalog_records import load_product
from vendor_console.services.catalog_tx import update_product as update_in_tx
from vendor_console.services.catalog_validation import clean_product
from vendor_console.services.receipt_numbers import next_value

COUNTER = "in_house_barcode"
MAX_LABELS = 2_000


@dataclass(frozen=True, slots=True)
class LabelItem:
    variant_id: str
    name: str
    sku: str | None
    barcode: str | None
    price: int  # minor units


def next_code(tx: Tx) -> str:
    while True:
        code = generate_in_house(next_value(tx, COUNTER))
        if tx.conn.execute(select(variants.c.id).where(variants.c.barcode == code)).first() \
                is None:
            return code


_ITEMS = (
    select(variants.c.id, products.c.name, variants.c.name, variants.c.sku, variants.c.barcode,
           variants.c.price)
    .join(products, products.c.id == variants.c.product_id)
    .where(variants.c.archived_at.is_(None), products.c.archived_at.is_(None))
)


def _items(conn: Connection, query: object) -> list[LabelItem]:
    return [LabelItem(vid, f"{pname} – {vname}" if vname else pname, sku, barcode, price)
            for vid, pname, vname, sku, barcode, price in conn.execute(query)]  # type: ignore[call-overload]


class InHouseCodes:
    def __init__(self, db: Database) -> None:
        self._db = db

    def new_code(self) -> str:
        """A fresh code for the product editor's "Generate" button (the number is used up)."""
        return self._db.write(next_code)

    def without_barcode(self, limit: int = MAX_LABELS) -> list[LabelItem]:
        with self._db.read() as conn:
            return _items(conn, _ITEMS.where(variants.c.barcode.is_(None))
                          .order_by(products.c.name, variants.c.position).limit(limit))

    def items(self, variant_ids: list[str]) -> list[LabelItem]:
        with self._db.read() as conn:
            found = {i.variant_id: i for i in _items(conn, _ITEMS.where(
                variants.c.id.in_(variant_ids)))}
        return [found[v] for v in variant_ids if v in found]

    def assign(self, actor: Actor, variant_ids: list[str]) -> list[LabelItem]:
        """Give each variant without a barcode a new in-house code (an ordinary catalog edit,
        synced); returns the items with their codes, in order."""
        require(actor, Permission.EDIT_CATALOG)
        if len(variant_ids) > MAX_LABELS:
            raise ValidationError(f"At most {MAX_LABELS:,} labels at once.", field="variants")

        def write(tx: Tx) -> None:
            by_product: dict[str, list[str]] = {}
            for vid, pid, barcode in tx.conn.execute(
                select(variants.c.id, variants.c.product_id, variants.c.barcode)
                .where(variants.c.id.in_(variant_ids))
            ):
                if barcode is None:
                    by_product.setdefault(pid, []).append(vid)
            for pid, vids in by_product.items():
                draft = load_product(tx.conn, pid).to_draft()
                fresh = {vid: next_code(tx) for vid in vids}
                draft = replace(draft, variants=[
                    replace(v, barcode=fresh[v.id]) if v.id in fresh else v
                    for v in draft.variants])
                update_in_tx(tx, pid, clean_product(draft))

        self._db.write(write)
        return self.items(variant_ids)
