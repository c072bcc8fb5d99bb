"""Case documents: photos, scans and PDFs, checked by content (treem.core.uploads), up to
TREEM_CASE_UPLOAD_MAX_BYTES (10 MB unless set)."""

from __future__ import annotations

from django.conf import settings

from treem.core import uploads


def max_upload_bytes() -> int:
    return int(getattr(settings, "TREEM_CASE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(upload) -> str:
    """Return the sniffed content type, or raise ValidationError with what to do instead."""
    return uploads.check_upload(upload, allowed=uploads.SCAN_TYPES, max_bytes=max_upload_bytes())
