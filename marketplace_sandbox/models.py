"""Tables (SQLAlchemy Core). Resources keep their searchable fields as columns and their full
representation as a JSON document (`doc`), which is what GETs and feed snapshots serve.
Everything here is portable between SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# An auto-incrementing 64-bit key on PostgreSQL and a ROWID alias on SQLite.
AutoKey = BigInteger().with_variant(Integer(), "sqlite")

vendors = Table(
    "vendors", metadata,
    Column("id", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("doc", Text, nullable=False),
    Column("consecutive_timeouts", Integer, nullable=False, default=0),
    # Test-only override of the rate-limit quota (requests per window).
    Column("rate_quota", Integer, nullable=True),
    Column("rate_window", Integer, nullable=True),
    Column("created_us", BigInteger, nullable=False),
    Column("updated_us", BigInteger, nullable=False),
)

# One row per vendor: `seq` is the last allocated feed sequence. Writers bump it with
# UPDATE … RETURNING at the end of their transaction, so they serialize on this row and the
# feed's order is the commit order. `expired_through`: cursors at or below it are gone.
feed_counters = Table(
    "feed_counters", metadata,
    Column("vendor_id", String(40), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("expired_through", BigInteger, nullable=False),
)

changes = Table(
    "changes", metadata,
    Column("vendor_id", String(40), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("event_id", String(40), nullable=False),
    Column("type", String(64), nullable=False),
    Column("resource_type", String(40), nullable=False),
    Column("resource_id", String(100), nullable=False),
    Column("created_us", BigInteger, nullable=False),
    # The whole feed envelope, pre-serialized: feed pages are built by joining these.
    Column("envelope", Text, nullable=False),
    PrimaryKeyConstraint("vendor_id", "seq"),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", String(40), primary_key=True),
    Column("vendor_id", String(40), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_us", BigInteger, nullable=False),
    Column("revoked_us", BigInteger, nullable=True),
)

pairing_codes = Table(
    "pairing_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("vendor_id", String(40), nullable=False),
    Column("expires_us", BigInteger, nullable=False),
    Column("used_us", BigInteger, nullable=True),
)

devices = Table(
    "devices", metadata,
    Column("id", String(40), primary_key=True),
    Column("vendor_id", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Column("revoked_us", BigInteger, nullable=True),
    Column("last_seen_us", BigInteger, nullable=True),
)

tokens = Table(
    "tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),  # access | refresh
    Column("device_id", String(40), nullable=False, index=True),
    Column("vendor_id", String(40), nullable=False),
    Column("expires_us", BigInteger, nullable=False),
    Column("used_us", BigInteger, nullable=True),
    Column("created_us", BigInteger, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("credential", String(80), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(12), nullable=False),  # running | done
    Column("status_code", Integer, nullable=True),
    Column("headers", Text, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("created_us", BigInteger, nullable=False),
    Column("lease_until_us", BigInteger, nullable=False),
    PrimaryKeyConstraint("credential", "key"),
)

locations = Table(
    "locations", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("client_ref", String(64), nullable=True),
    Column("version", Integer, nullable=False),
    Column("doc", Text, nullable=False),
    UniqueConstraint("vendor_id", "client_ref"),
)

categories = Table(
    "categories", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("client_ref", String(64), nullable=True),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("doc", Text, nullable=False),
    UniqueConstraint("vendor_id", "client_ref"),
)

products = Table(
    "products", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("client_ref", String(64), nullable=True),
    Column("category_id", String(40), nullable=True),
    Column("visibility", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("doc", Text, nullable=False),
    UniqueConstraint("vendor_id", "client_ref"),
    Index("ix_products_vendor_pk", "vendor_id", "pk"),
)

variants = Table(
    "variants", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("product_id", String(40), nullable=False, index=True),
    Column("client_ref", String(64), nullable=True),
    Column("sku", String(100), nullable=True),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("doc", Text, nullable=False),
    UniqueConstraint("vendor_id", "client_ref"),
    Index("ix_variants_vendor_sku", "vendor_id", "sku"),
)

inventory_levels = Table(
    "inventory_levels", metadata,
    Column("vendor_id", String(40), nullable=False),
    Column("variant_id", String(40), nullable=False),
    Column("location_id", String(40), nullable=False),
    Column("on_hand_m", BigInteger, nullable=False),  # milli-units
    Column("committed_m", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_us", BigInteger, nullable=False),
    PrimaryKeyConstraint("vendor_id", "variant_id", "location_id"),
)

inventory_changes = Table(
    "inventory_changes", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("client_change_id", String(100), nullable=True),
    Column("variant_id", String(40), nullable=False),
    Column("location_id", String(40), nullable=False),
    Column("type", String(20), nullable=False),  # ADJUSTMENT | PHYSICAL_COUNT
    Column("amount_m", BigInteger, nullable=False),  # delta, or the counted quantity
    Column("occurred_us", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("doc", Text, nullable=False),
    UniqueConstraint("vendor_id", "client_change_id"),
    Index("ix_inv_changes_level", "vendor_id", "variant_id", "location_id", "type",
          "occurred_us"),
)

sales = Table(
    "sales", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("client_sale_id", String(100), nullable=False),
    Column("doc", Text, nullable=False),
    UniqueConstraint("vendor_id", "client_sale_id"),
)

orders = Table(
    "orders", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("number", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("accept_by_us", BigInteger, nullable=True),
    Column("doc", Text, nullable=False),
    Index("ix_orders_vendor_pk", "vendor_id", "pk"),
    Index("ix_orders_pending_deadline", "status", "accept_by_us"),
)

images = Table(
    "images", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("client_ref", String(64), nullable=True),
    Column("content_type", String(40), nullable=False),
    Column("doc", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("vendor_id", "client_ref"),
)

reviews = Table(
    "reviews", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("doc", Text, nullable=False),
    Index("ix_reviews_vendor_pk", "vendor_id", "pk"),
)

jobs = Table(
    "jobs", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("doc", Text, nullable=False),
    Column("input", LargeBinary, nullable=True),
    Column("output", LargeBinary, nullable=True),
)

webhook_endpoints = Table(
    "webhook_endpoints", metadata,
    Column("pk", AutoKey, primary_key=True, autoincrement=True),
    Column("id", String(40), nullable=False, unique=True),
    Column("vendor_id", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("enabled", Boolean, nullable=False),
    Column("doc", Text, nullable=False),
    # [[secret, valid_until_us | null], …]: the current secret and, during rotation, the old.
    Column("secrets", Text, nullable=False),
    Column("cursor_seq", BigInteger, nullable=False),  # last event delivered (or skipped)
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_us", BigInteger, nullable=False),
    Column("failing_since_us", BigInteger, nullable=True),
    Column("lease_until_us", BigInteger, nullable=True),
)
