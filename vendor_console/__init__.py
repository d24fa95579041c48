"""Vendor Console."""
