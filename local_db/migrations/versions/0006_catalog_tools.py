"""catalog tools: stock count sessions and their lines

Revision ID: 0006_catalog_tools
Revises: 0005_sync
Create Date: 2026-12-07 15:30:00

Low-stock thresholds (variants.low_stock_threshold) and product images (product_images, with
sizes, alt text and order) were already in 0001_initial; this adds the count sessions and an index for the catalog table's name order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_catalog_tools"
down_revision = "0005_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The catalog table's default order (live products by name, case-insensitive): an index
    # scan of 100k entries instead of sorting every row.
    op.execute("CREATE INDEX ix_products_live_name ON products (name COLLATE NOCASE) "
               "WHERE archived_at IS NULL")
    op.create_table(
        "count_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.String(length=36), nullable=True),
        sa.Column("started_at", sa.String(length=27), nullable=False),
        sa.Column("finished_at", sa.String(length=27), nullable=True),
        sa.CheckConstraint("status IN ('OPEN','APPLIED','CANCELLED')",
                           name=op.f("ck_count_sessions_status")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_count_sessions_location_id_locations")),
        sa.ForeignKeyConstraint(["started_by"], ["staff.id"],
                                name=op.f("fk_count_sessions_started_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_sessions")),
    )
    with op.batch_alter_table("count_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_count_sessions_status", ["status", "started_at"], unique=False)
    op.create_table(
        "count_lines",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("variant_id", sa.String(length=36), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["count_sessions.id"],
                                name=op.f("fk_count_lines_session_id_count_sessions")),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"],
                                name=op.f("fk_count_lines_variant_id_variants")),
        sa.PrimaryKeyConstraint("session_id", "variant_id", name=op.f("pk_count_lines")),
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_products_live_name")
    op.drop_table("count_lines")
    with op.batch_alter_table("count_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_count_sessions_status")
    op.drop_table("count_sessions")
