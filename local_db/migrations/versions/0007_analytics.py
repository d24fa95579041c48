"""analytics: daily rollups maintained by triggers

Revision ID: 0007_analytics
Revises: 0006_catalog_tools
Create Date: 2026-12-07 15:30:00

Rollup tables (local_db.models.analytics), the shop's UTC offsets for the triggers, and the
triggers themselves (local_db.rollups). An existing shop's history is rolled up once, in its
own time zone. A later change to the triggers ships as a new revision that recreates them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from local_db import rollups

revision = "0007_analytics"
down_revision = "0006_catalog_tools"
branch_labels = None
depends_on = None

_MEASURES = {
    "analytics_daily": ("sales_count", "sales_total", "refund_count", "refund_total",
                        "void_count", "void_total"),
    "analytics_hourly": ("sales_count", "net_total"),
    "analytics_product_daily": ("quantity", "net_total", "refund_quantity", "refund_total"),
    "analytics_product_monthly": ("quantity", "net_total", "refund_quantity", "refund_total"),
    "analytics_orders_daily": ("placed", "accepted", "rejected", "timed_out",
                               "customer_cancelled", "prep_seconds", "prep_count"),
}
_KEYS: dict[str, tuple[sa.Column[object], ...]] = {
    "analytics_daily": (sa.Column("day", sa.String(10)), sa.Column("channel", sa.String(16))),
    "analytics_hourly": (sa.Column("day", sa.String(10)), sa.Column("hour", sa.Integer())),
    "analytics_product_daily": (sa.Column("day", sa.String(10)),
                                sa.Column("product_id", sa.String(36))),
    "analytics_product_monthly": (sa.Column("product_id", sa.String(36)),
                                  sa.Column("month", sa.String(7))),
    "analytics_orders_daily": (sa.Column("day", sa.String(10)),),
}


def upgrade() -> None:
    op.create_table(
        "analytics_tz",
        sa.Column("starts_at", sa.String(27), nullable=False),
        sa.Column("offset_min", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("starts_at", name="pk_analytics_tz"),
    )
    for table, measures in _MEASURES.items():
        keys = _KEYS[table]
        op.create_table(
            table,
            *[sa.Column(k.name, k.type, nullable=False) for k in keys],
            *[sa.Column(m, sa.Integer(), nullable=False) for m in measures],
            sa.PrimaryKeyConstraint(*[k.name for k in keys], name=f"pk_{table}"),
            sqlite_with_rowid=False,
        )
    conn = op.get_bind()
    rollups.create_triggers(conn)
    zone = conn.exec_driver_sql("SELECT timezone FROM shop LIMIT 1").scalar()
    if zone is not None:
        rollups.capture_timezone(conn, str(zone))  # also rolls up the existing history


def downgrade() -> None:
    conn = op.get_bind()
    rollups.drop_triggers(conn)
    for table in ("analytics_tz", *_MEASURES):
        op.drop_table(table)
