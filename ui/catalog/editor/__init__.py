"""The product editor: product fields, variants, barcodes and images."""
