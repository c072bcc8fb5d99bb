"""Logging filters that keep personal data out of the logs."""

from __future__ import annotations

import logging


class DropRequestFilter(logging.Filter):
    """Django attaches the request to error records, and its repr carries the query string, which
    can hold a child's name typed into a search box. Keep only the method and path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None:
            record.request = f"{getattr(request, 'method', '')} {getattr(request, 'path', '')}"
        return True
