"""Files are checked by what they contain, not by their name: a PDF starts with `%PDF-`, a Word
document (DOCX) is a zip archive holding `word/document.xml`, images carry their own signatures. A
file whose content does not match its extension is refused."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_EXTENSIONS = {
    "application/pdf": {"pdf"},
    DOCX: {"docx"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/webp": {"webp"},
}
DOCUMENT_TYPES = {"application/pdf", DOCX}
EVIDENCE_TYPES = {"application/pdf", DOCX, "image/jpeg", "image/png", "image/webp"}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
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


def check(upload, *, allowed: set[str], field: str = "file") -> str:
    """The content type of `upload`, or a ValidationError saying what to send instead."""
    if not upload.size:
        raise ValidationError({field: _("Tệp rỗng. Hãy chọn lại tệp.")})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {field: _("Tệp lớn hơn 20 MB. Hãy nén hoặc quét lại tệp với độ phân giải thấp hơn.")}
        )
    content_type = sniff(upload)
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type not in allowed or extension not in _EXTENSIONS[content_type]:
        labels = {
            "application/pdf": "PDF",
            DOCX: "Word (.docx)",
            "image/jpeg": "JPEG",
            "image/png": "PNG",
            "image/webp": "WebP",
        }
        kinds = ", ".join(sorted({labels[t] for t in allowed}))
        raise ValidationError(
            {
                field: _(
                    "Tệp “%(name)s” không đúng định dạng: nội dung tệp phải là %(kinds)s và khớp "
                    "với đuôi tệp. Hãy lưu lại tệp đúng định dạng rồi tải lên."
                )
                % {"name": name, "kinds": kinds}
            }
        )
    return content_type
