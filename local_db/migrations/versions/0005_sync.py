"""sync: dead letters, server order status, last-seen bases

Revision ID: 0005_sync
Revises: 0004_parked_sales
Create Date: 2026-12-07 15:30:00

Reserved in the chain so that work on different parts of the app can land in any order;
the part that owns it fills in upgrade() and downgrade().
"""

from __future__ import annotations

revision = "0005_sync"
down_revision = "0004_parked_sales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
