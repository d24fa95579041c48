"""Catalog: categories, products, variants and product images."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from local_db.models.base import ID, Base, Synced, Timestamps
from local_db.types import JSONText


class Category(Base, Synced):
    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    color: Mapped[str | None] = mapped_column(String(9))  # tile colour, "#RRGGBB"


class Product(Base, Synced):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("visibility IN ('VISIBLE','HIDDEN')", name="visibility"),
        CheckConstraint("availability IN ('AVAILABLE','SOLD_OUT')", name="availability"),
        Index("ix_products_category", "category_id"),
        # Live products in name order for the catalog table; migration 0006 creates it on
        # ``name COLLATE NOCASE`` (the order the table shows), which reflects as "name".
        Index("ix_products_live_name", "name", sqlite_where=text("archived_at IS NULL")),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    client_ref: Mapped[str] = mapped_column(ID, unique=True)  # sent as client_ref on create
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[str | None] = mapped_column(ID, ForeignKey("categories.id"))
    dietary_tags: Mapped[list[str]] = mapped_column(JSONText, default=list)
    visibility: Mapped[str] = mapped_column(String(16), default="VISIBLE")
    availability: Mapped[str] = mapped_column(String(16), default="AVAILABLE")
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    depth_mm: Mapped[int | None] = mapped_column(Integer)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    material: Mapped[str | None] = mapped_column(String(200))
    style: Mapped[str | None] = mapped_column(String(200))
    # Extra words the search index sees besides the name: SKUs, barcodes, variant names, tags.
    search_keywords: Mapped[str] = mapped_column(Text, default="")


class Variant(Base, Synced):
    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_non_negative"),
        CheckConstraint("precision BETWEEN 0 AND 3", name="precision_range"),
        CheckConstraint("inventory_policy IN ('DENY','CONTINUE')", name="inventory_policy"),
        Index("ix_variants_product", "product_id"),
        Index("uq_variants_sku", "sku", unique=True, sqlite_where=text("sku IS NOT NULL")),
        Index(
            "uq_variants_barcode", "barcode", unique=True, sqlite_where=text("barcode IS NOT NULL")
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    client_ref: Mapped[str] = mapped_column(ID, unique=True)
    product_id: Mapped[str] = mapped_column(ID, ForeignKey("products.id"))
    name: Mapped[str] = mapped_column(String(200), default="")
    options: Mapped[dict[str, str]] = mapped_column(JSONText, default=dict)  # {"Size": "Large"}
    sku: Mapped[str | None] = mapped_column(String(64))
    barcode: Mapped[str | None] = mapped_column(String(32))
    price: Mapped[int] = mapped_column(Integer)  # minor units
    compare_at_price: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[int | None] = mapped_column(Integer)
    tax_rate_id: Mapped[str | None] = mapped_column(ID, ForeignKey("tax_rates.id"))
    unit: Mapped[str] = mapped_column(String(8), default="pc")  # pc, g, kg, ml, l, m
    precision: Mapped[int] = mapped_column(Integer, default=0)  # decimals sold in this unit
    track_inventory: Mapped[bool] = mapped_column(Boolean, default=True)
    inventory_policy: Mapped[str] = mapped_column(String(8), default="DENY")
    low_stock_threshold: Mapped[int | None] = mapped_column(Integer)  # scaled quantity
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductImage(Base, Timestamps):
    __tablename__ = "product_images"
    __table_args__ = (Index("ix_product_images_product", "product_id", "position"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    product_id: Mapped[str] = mapped_column(ID, ForeignKey("products.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(255))  # relative to the data dir's images/
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(Text, default="")
    remote_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    derived: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)  # size -> file
