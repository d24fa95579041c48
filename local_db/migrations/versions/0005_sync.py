"""sync: dead letters, server order status, last-seen bases

Revision ID: 0005_sync
Revises: 0004_parked_sales
Create Date: 2026-12-07 15:30:00

Dead letters are outbox rows with status DEAD (the reason in ``last_error``); this adds the
issues the user must settle, the last-seen server snapshot of catalog rows (the base of
field-by-field merges) and the server's own order status beside the local one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_sync"
down_revision = "0004_parked_sales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_issues",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("resolved_at", sa.String(length=27), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_issues")),
    )
    with op.batch_alter_table("sync_issues", schema=None) as batch_op:
        batch_op.create_index("ix_sync_issues_open", ["resolved_at", "created_at"], unique=False)
    op.create_table(
        "sync_bases",
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("resource_type", "remote_id", name=op.f("pk_sync_bases")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("server_status", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("server_status")
    op.drop_table("sync_bases")
    with op.batch_alter_table("sync_issues", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_issues_open")
    op.drop_table("sync_issues")
