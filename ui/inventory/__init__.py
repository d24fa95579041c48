"""The Inventory page: stock levels and history, adjustments, counts, low stock, labels."""
