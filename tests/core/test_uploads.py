import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from treem.core import uploads


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bien-ban.pdf", b"%PDF-1.7\n", uploads.PDF),
        ("anh.JPG", b"\xff\xd8\xff\xe0rest", uploads.JPEG),
        ("quet.tif", b"II*\x00rest", uploads.TIFF),
        ("ke-hoach.docx", _docx(), uploads.DOCX),
    ],
)
def test_the_type_is_read_from_the_content(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    allowed = uploads.SCAN_TYPES | uploads.DOCUMENT_TYPES
    assert uploads.check_upload(upload, allowed=allowed, max_bytes=1024) == kind
    assert upload.read(4) == content[:4]  # the file is rewound for whoever stores it


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", b"MZ\x90\x00 an executable"),  # a renamed program
        ("bien-ban.pdf", b"\xff\xd8\xff\xe0"),  # a photo named .pdf
        ("ke-hoach.docx", _zip()),  # a zip that holds no Word document
        ("ke-hoach.docx", b"PK\x03\x04 broken"),  # a damaged archive
        ("bien-ban", b"%PDF-1.7\n"),  # no extension at all
    ],
)
def test_content_and_extension_must_agree(name, content):
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(
            SimpleUploadedFile(name, content), allowed=uploads.EVIDENCE_TYPES, max_bytes=1024
        )
    assert "không đúng định dạng" in exc.value.message_dict["file"][0]


def test_a_kind_the_caller_does_not_accept_is_refused_naming_the_kinds_it_does():
    upload = SimpleUploadedFile("ke-hoach.docx", _docx())
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(upload, allowed=uploads.SCAN_TYPES, max_bytes=1024, field="upload")
    assert "Chỉ nhận tệp PDF, JPEG, PNG, TIFF, WebP" in exc.value.message_dict["upload"][0]


def test_empty_and_oversized_files_are_refused_in_english_too():
    with translation.override("en"):
        with pytest.raises(ValidationError) as empty:
            uploads.check_upload(
                SimpleUploadedFile("a.pdf", b""), allowed=uploads.SCAN_TYPES, max_bytes=1024
            )
        with pytest.raises(ValidationError) as big:
            uploads.check_upload(
                SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 3 * 1024 * 1024),
                allowed=uploads.SCAN_TYPES,
                max_bytes=2 * 1024 * 1024,
            )
    assert empty.value.message_dict["file"] == [
        "The file is empty. Choose the file to attach again."
    ]
    assert "larger than 2 MB" in big.value.message_dict["file"][0]
