"""Typed domain errors: what went wrong, in words fit for a shop owner.

Expected problems (bad input, missing permission, printer offline) are ``DomainError``s and are
shown as a non-modal message; anything else is a bug and reaches the crash dialog.
"""

from __future__ import annotations


class DomainError(Exception):
    """An expected failure. ``user_message`` is shown to the user as is."""

    code = "domain_error"

    def __init__(self, user_message: str, *, field: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.field = field


class ValidationError(DomainError):
    code = "validation_failed"


class InvalidPrice(ValidationError):
    code = "invalid_price"


class InvalidQuantity(ValidationError):
    code = "invalid_quantity"


class InvalidBarcode(ValidationError):
    code = "invalid_barcode"


class DuplicateSku(ValidationError):
    code = "duplicate_sku"


class DuplicateBarcode(ValidationError):
    code = "duplicate_barcode"


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"

    def __init__(self, user_message: str, *, permission: str) -> None:
        super().__init__(user_message)
        self.permission = permission


class AuthenticationFailed(DomainError):
    code = "authentication_failed"


class StaffLocked(DomainError):
    code = "staff_locked"


class RefundExceedsSale(ValidationError):
    code = "refund_exceeds_sale"


class ShiftRequired(DomainError):
    code = "shift_required"


class DatabaseUnusable(DomainError):
    """The database file cannot be opened or is corrupt. It is never overwritten."""

    code = "database_unusable"


class MigrationFailed(DomainError):
    code = "migration_failed"


class PaymentMismatch(ValidationError):
    """The payments do not cover the total, or a card pays more than the total."""

    code = "payment_mismatch"


class ShiftAlreadyOpen(DomainError):
    code = "shift_already_open"
