"""Uploaded files are checked by what they contain, not by their name, in one place for every app.

The type is read from the file's first bytes: a PDF starts with `%PDF-`, JPEG, PNG, TIFF and WebP
images carry their own signatures, and a Word document (DOCX) is a zip archive holding
`word/document.xml`. A file whose content is not one of the kinds the caller accepts, or whose
extension does not match its content (a renamed executable, a `.pdf` that is really a zip), is
refused with a message saying what to send instead; so is an empty file or one over the size cap.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG, PNG, TIFF, WEBP = "image/jpeg", "image/png", "image/tiff", "image/webp"

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
]
EXTENSIONS = {
    PDF: {"pdf"},
    DOCX: {"docx"},
    JPEG: {"jpg", "jpeg"},
    PNG: {"png"},
    TIFF: {"tif", "tiff"},
    WEBP: {"webp"},
}
# What the user reads for each kind, in the order they are listed.
_LABELS = {PDF: "PDF", DOCX: "Word (.docx)", JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF", WEBP: "WebP"}

IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
SCAN_TYPES = frozenset({PDF, JPEG, PNG, TIFF, WEBP})  # photos, scans and PDFs
DOCUMENT_TYPES = frozenset({PDF, DOCX})
EVIDENCE_TYPES = frozenset({PDF, DOCX, JPEG, PNG, WEBP})


def sniff(upload) -> str | None:
    """The content type read from the file's content, or None when it is none we know."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return DOCX
    return None


def check_upload(
    upload, *, allowed: frozenset[str], max_bytes: int | None = None, field: str = "file"
) -> str:
    """The content type of `upload`, or a ValidationError on `field` saying what to send instead.
    `max_bytes` defaults to the TREEM_UPLOAD_MAX_BYTES setting (10 MB)."""
    if max_bytes is None:
        max_bytes = int(getattr(settings, "TREEM_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    if not upload.size:
        raise ValidationError({field: _("Tệp rỗng. Hãy chọn lại tệp cần đính kèm.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _(
                    "Tệp lớn hơn %(mb)s MB. Hãy nén, chụp hoặc quét lại tệp với độ phân giải "
                    "thấp hơn."
                )
                % {"mb": max_bytes // (1024 * 1024)}
            }
        )
    content_type = sniff(upload)
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type not in allowed or extension not in EXTENSIONS[content_type]:
        kinds = ", ".join(label for kind, label in _LABELS.items() if kind in allowed)
        raise ValidationError(
            {
                field: _(
                    "Tệp “%(name)s” không đúng định dạng. Chỉ nhận tệp %(kinds)s, và đuôi tệp "
                    "phải khớp với nội dung. Hãy lưu lại tệp ở một trong các dạng đó rồi tải lên."
                )
                % {"name": name, "kinds": kinds}
            }
        )
    return content_type
