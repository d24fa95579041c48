"""print queue: configured printers and their persisted print jobs

Revision ID: 0003_print_queue
Revises: 0002_product_search
Create Date: 2026-11-22 04:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_print_queue"
down_revision = "0002_product_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "printers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printers")),
        sa.UniqueConstraint("name", name=op.f("uq_printers_name")),
    )
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("printer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("reprint_of", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("printed_at", sa.String(length=27), nullable=True),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(["printer_id"], ["printers.id"],
                                name=op.f("fk_print_jobs_printer_id_printers")),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"],
                                name=op.f("fk_print_jobs_sale_id_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
        sa.UniqueConstraint("seq", name=op.f("uq_print_jobs_seq")),
    )
    op.create_index("ix_print_jobs_queue", "print_jobs", ["printer_id", "status", "seq"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_queue", table_name="print_jobs")
    op.drop_table("print_jobs")
    op.drop_table("printers")
