"""The Catalog page: the product table, filters, bulk edits, the product editor and images."""
