"""parked sales: carts put aside at the counter

Revision ID: 0004_parked_sales
Revises: 0003_print_queue
Create Date: 2026-11-22 04:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_parked_sales"
down_revision = "0003_print_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parked_sales",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("cart", sa.Text(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("parked_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_parked_sales_location_id_locations")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name=op.f("fk_parked_sales_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parked_sales")),
    )
    with op.batch_alter_table("parked_sales", schema=None) as batch_op:
        batch_op.create_index("ix_parked_sales_parked_at", ["parked_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("parked_sales", schema=None) as batch_op:
        batch_op.drop_index("ix_parked_sales_parked_at")
    op.drop_table("parked_sales")
