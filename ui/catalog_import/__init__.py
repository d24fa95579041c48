"""The catalog import wizard: pick a file, read the dry-run report, import with progress."""
