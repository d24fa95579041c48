"""Benchmarks for the performance budgets in DESIGN.md section 9: ``uv run python -m bench``."""
