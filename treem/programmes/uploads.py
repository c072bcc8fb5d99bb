"""Programme documents (PDF or Word), progress evidence and campaign photos, checked by content
(treem.core.uploads), up to 20 MB."""

from __future__ import annotations

from treem.core import uploads
from treem.core.uploads import DOCUMENT_TYPES, DOCX, EVIDENCE_TYPES, IMAGE_TYPES

__all__ = ["DOCUMENT_TYPES", "DOCX", "EVIDENCE_TYPES", "IMAGE_TYPES", "MAX_BYTES", "check"]

MAX_BYTES = 20 * 1024 * 1024


def check(upload, *, allowed: frozenset[str], field: str = "file") -> str:
    """The content type of `upload`, or a ValidationError saying what to send instead."""
    return uploads.check_upload(upload, allowed=allowed, max_bytes=MAX_BYTES, field=field)
