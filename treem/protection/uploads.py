"""Checks on uploaded case documents: the type is read from the file's first bytes (a renamed
executable is refused whatever its extension says), and the size is capped."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Signature → content type. Only what case work needs: photos, scans and PDFs.
_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "application/pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
]
_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/tiff": {"tif", "tiff"},
    "image/webp": {"webp"},
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "TREEM_CASE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    for signature, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(upload) -> str:
    """Return the sniffed content type, or raise ValidationError with what to do instead."""
    limit = max_upload_bytes()
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("Tệp rỗng. Hãy chọn lại tệp cần đính kèm.")})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "Tệp lớn hơn %(mb)s MB. Hãy chụp hoặc quét lại với độ phân giải thấp hơn."
                )
                % {"mb": limit // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if content_type is None or extension not in _EXTENSIONS[content_type]:
        raise ValidationError(
            {
                "file": _(
                    "Chỉ nhận ảnh (JPEG, PNG, TIFF, WebP) hoặc tệp PDF, và đuôi tệp phải đúng "
                    "với nội dung. Hãy lưu lại tệp ở một trong các dạng đó."
                )
            }
        )
    return content_type
