"""The Analytics page: charts and tables drawn from vendor_console.services.analytics_*."""
