"""Core ``Table`` objects for the hot paths (Core statements, not the ORM unit of work).

The ORM classes in ``local_db.models`` define the schema; code that writes or reads in bulk or
on a latency budget uses these tables with Core ``insert``/``select``.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from local_db import models as m


def _t(model: type[m.Base]) -> Table:
    return cast(Table, model.__table__)


shop = _t(m.Shop)
locations = _t(m.Location)
tax_rates = _t(m.TaxRate)
settings = _t(m.Setting)
counters = _t(m.Counter)
categories = _t(m.Category)
products = _t(m.Product)
variants = _t(m.Variant)
product_images = _t(m.ProductImage)
stock_movements = _t(m.StockMovement)
stock_levels = _t(m.StockLevel)
roles = _t(m.Role)
staff = _t(m.Staff)
sales = _t(m.Sale)
sale_lines = _t(m.SaleLine)
sale_tenders = _t(m.SaleTender)
sale_taxes = _t(m.SaleTax)
shifts = _t(m.Shift)
cash_movements = _t(m.CashMovement)
orders = _t(m.Order)
order_lines = _t(m.OrderLine)
order_status_history = _t(m.OrderStatusHistory)
outbox = _t(m.OutboxEntry)
sync_cursors = _t(m.SyncCursor)
sync_issues = _t(m.SyncIssue)
sync_bases = _t(m.SyncBase)
audit_log = _t(m.AuditEntry)
parked_sales = _t(m.ParkedSale)
printers = _t(m.Printer)
print_jobs = _t(m.PrintJob)
count_sessions = _t(m.CountSession)
count_lines = _t(m.CountLine)
reviews = _t(m.Review)
store_state = _t(m.StoreState)
