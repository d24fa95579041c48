"""Roles and permissions, checked in the services (not only by hiding buttons).

A service that needs a permission takes an :class:`Actor` (who is signed in) and optionally an
``approver``: a manager who approved this one action with their PIN (see
``StaffService.approve``). :func:`require` raises ``PermissionDenied`` with a message that
says who may do it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from vendor_console.errors import PermissionDenied


class Permission(StrEnum):
    SELL = "sell"
    DISCOUNT_OVER_LIMIT = "discount_over_limit"
    PRICE_OVERRIDE = "price_override"
    VOID_LINE = "void_line"
    REFUND = "refund"
    NO_SALE = "no_sale"  # open the drawer without a sale
    CASH_IN_OUT = "cash_in_out"
    OPEN_CLOSE_SHIFT = "open_close_shift"
    EDIT_CATALOG = "edit_catalog"
    ADJUST_STOCK = "adjust_stock"
    MANAGE_STAFF = "manage_staff"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_REPORTS = "view_reports"


CASHIER = frozenset({Permission.SELL, Permission.VOID_LINE, Permission.OPEN_CLOSE_SHIFT})
MANAGER = CASHIER | {
    Permission.DISCOUNT_OVER_LIMIT, Permission.PRICE_OVERRIDE, Permission.REFUND,
    Permission.NO_SALE, Permission.CASH_IN_OUT, Permission.EDIT_CATALOG,
    Permission.ADJUST_STOCK, Permission.VIEW_REPORTS,
}
OWNER = frozenset(Permission)

# Default roles: code -> (name, permissions, discount limit in basis points without approval)
DEFAULT_ROLES: dict[str, tuple[str, frozenset[Permission], int]] = {
    "cashier": ("Cashier", CASHIER, 1000),
    "manager": ("Manager", frozenset(MANAGER), 5000),
    "owner": ("Owner", OWNER, 10000),
}

LABELS = {
    Permission.SELL: "sell", Permission.DISCOUNT_OVER_LIMIT: "give a discount over the limit",
    Permission.PRICE_OVERRIDE: "change a price", Permission.VOID_LINE: "remove a line",
    Permission.REFUND: "give refunds", Permission.NO_SALE: "open the drawer without a sale",
    Permission.CASH_IN_OUT: "take cash in or out",
    Permission.OPEN_CLOSE_SHIFT: "open or close a shift",
    Permission.EDIT_CATALOG: "edit the catalog", Permission.ADJUST_STOCK: "adjust stock",
    Permission.MANAGE_STAFF: "manage staff", Permission.MANAGE_SETTINGS: "change settings",
    Permission.VIEW_REPORTS: "see reports",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in (or PIN-approving) staff member, as the services see them."""

    staff_id: str
    name: str
    role: str
    permissions: frozenset[str]
    discount_limit_bp: int

    def can(self, permission: Permission) -> bool:
        return permission.value in self.permissions


def require(actor: Actor, permission: Permission, approver: Actor | None = None) -> Actor | None:
    """Check ``permission``; returns the approver whose permission was used, if any."""
    if actor.can(permission):
        return None
    if approver is not None and approver.can(permission):
        return approver
    raise PermissionDenied(
        f"{actor.name} ({actor.role}) may not {LABELS[permission]}. "
        "A manager can approve this with their PIN.",
        permission=permission.value,
    )


def scoped_approval(approver: Actor, permission: Permission) -> Actor:
    """The approver as one approval: it allows ``permission`` and nothing else (a discount
    approval must not also approve a refund or a price change)."""
    return replace(approver, permissions=frozenset({permission.value}))


def add_approval(held: Actor | None, new: Actor) -> Actor:
    """Approvals given on one sale: the same manager's add up; another manager's replace."""
    if held is None or held.staff_id != new.staff_id:
        return new
    return replace(new, permissions=held.permissions | new.permissions)
