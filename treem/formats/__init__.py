"""Number and date formats that complete Django's own (FORMAT_MODULE_PATH)."""
