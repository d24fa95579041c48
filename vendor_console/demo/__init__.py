"""Demo shops: the Hazel & Rye bakery and crafts stall, and large generated shops for benchmarks.

- ``build_demo(db, *, seed=7, days=90, images_dir, now=None) -> DemoSummary``
- ``build_large(db, *, products, order_lines, seed=7) -> LargeSummary``
"""

from vendor_console.demo.builder import DemoSummary, build_demo
from vendor_console.demo.large import LargeSummary, build_large

__all__ = ["DemoSummary", "LargeSummary", "build_demo", "build_large"]
