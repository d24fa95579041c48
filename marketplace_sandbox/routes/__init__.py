"""Routers of the vendor API, one small module per area."""
