"""catalog tools: stock count sessions, low-stock thresholds, images

Revision ID: 0006_catalog_tools
Revises: 0005_sync
Create Date: 2026-12-07 15:30:00

Reserved in the chain so that work on different parts of the app can land in any order;
the part that owns it fills in upgrade() and downgrade().
"""

from __future__ import annotations

revision = "0006_catalog_tools"
down_revision = "0005_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
