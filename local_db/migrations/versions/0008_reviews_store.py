"""reviews and store state mirrored offline

Revision ID: 0008_reviews_store
Revises: 0007_analytics
Create Date: 2026-12-07 18:45:00

Reserved: the marketplace's reviews (with replies) and the store's state (paused, busy, hours,
special days) kept in the local mirror so the order queue and analytics work offline.
"""

from __future__ import annotations

revision = "0008_reviews_store"
down_revision = "0007_analytics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
