"""Vendor Console: point of sale and vendor console for makers and small shops."""

__version__ = "0.1.0"
