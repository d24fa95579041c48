"""reviews and store state mirrored offline

Revision ID: 0008_reviews_store
Revises: 0007_analytics
Create Date: 2026-12-07 18:45:00

The marketplace's reviews (with replies) and the store's state (paused, busy, hours, special
days) kept in the local mirror (local_db.models.store), so the order queue and analytics work
offline. Filled by the next sync pull (the change feed carries ``review`` and ``vendor``
changes; an existing till lists them once).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_reviews_store"
down_revision = "0007_analytics"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[str]]:
    return [sa.Column("created_at", sa.String(length=27), nullable=False),
            sa.Column("updated_at", sa.String(length=27), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("order_remote_id", sa.String(length=64), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("replied_at", sa.String(length=27), nullable=True),
        sa.Column("posted_at", sa.String(length=27), nullable=False),
        sa.Column("changed_at", sa.String(length=27), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("remote_id", name=op.f("uq_reviews_remote_id")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index("ix_reviews_posted_at", ["posted_at"], unique=False)
        batch_op.create_index("ix_reviews_order", ["order_remote_id"], unique=False)
    op.create_table(
        "store_state",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pause_state", sa.String(length=24), nullable=False),
        sa.Column("paused_until", sa.String(length=27), nullable=True),
        sa.Column("pause_reason", sa.String(length=64), nullable=True),
        sa.Column("busy_minutes", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("special_days", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("changed_at", sa.String(length=27), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_state")),
        sa.UniqueConstraint("remote_id", name=op.f("uq_store_state_remote_id")),
    )


def downgrade() -> None:
    op.drop_table("store_state")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_order")
        batch_op.drop_index("ix_reviews_posted_at")
    op.drop_table("reviews")
