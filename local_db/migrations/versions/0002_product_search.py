"""product search: FTS5 index over product names and keywords, kept by triggers

Revision ID: 0002_product_search
Revises: 0001_initial
Create Date: 2026-11-22 04:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002_product_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# External-content FTS5 over products (rowid). Prefix indexes of 1-3 characters let
# search-as-you-type fetch a bounded candidate set in well under a millisecond; ranking happens
# on that set (local_db/search.py). Archived products are not indexed.
_INDEXED = "new.archived_at IS NULL"

UPGRADE = [
    """CREATE VIRTUAL TABLE product_search USING fts5(
        name, search_keywords, content='products', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    f"""CREATE TRIGGER product_search_ai AFTER INSERT ON products WHEN {_INDEXED} BEGIN
        INSERT INTO product_search(rowid, name, search_keywords)
        VALUES (new.rowid, new.name, new.search_keywords);
    END""",
    """CREATE TRIGGER product_search_ad AFTER DELETE ON products WHEN old.archived_at IS NULL BEGIN
        INSERT INTO product_search(product_search, rowid, name, search_keywords)
        VALUES ('delete', old.rowid, old.name, old.search_keywords);
    END""",
    """CREATE TRIGGER product_search_au_old AFTER UPDATE OF name, search_keywords, archived_at
        ON products WHEN old.archived_at IS NULL BEGIN
        INSERT INTO product_search(product_search, rowid, name, search_keywords)
        VALUES ('delete', old.rowid, old.name, old.search_keywords);
    END""",
    f"""CREATE TRIGGER product_search_au_new AFTER UPDATE OF name, search_keywords, archived_at
        ON products WHEN {_INDEXED} BEGIN
        INSERT INTO product_search(rowid, name, search_keywords)
        VALUES (new.rowid, new.name, new.search_keywords);
    END""",
    """INSERT INTO product_search(rowid, name, search_keywords)
        SELECT rowid, name, search_keywords FROM products WHERE archived_at IS NULL""",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("ai", "ad", "au_old", "au_new"):
        op.execute(f"DROP TRIGGER IF EXISTS product_search_{trigger}")
    op.execute("DROP TABLE IF EXISTS product_search")
