from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from treem.programmes import services
from treem.programmes.models import Document, DocumentLink

from .conftest import PDF

pytestmark = pytest.mark.django_db


def _docx(with_body: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_body:
            archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _create(specialist, number="20-CT/TW", upload=None, **kw):
    return services.document_create(
        actor=specialist,
        number=number,
        kind=kw.pop("kind", Document.Kind.DIRECTIVE),
        title="Về tăng cường sự lãnh đạo của Đảng đối với công tác trẻ em",
        issuing_body="Ban Bí thư",
        issued_on=kw.pop("issued_on", date(2012, 11, 5)),
        upload=upload,
        **kw,
    )


def test_pdf_is_stored_privately_and_served_only_to_staff(
    specialist, specialist_client, anon_client, client_for
):
    doc = _create(specialist, upload=SimpleUploadedFile("chi-thi.pdf", PDF))
    assert doc.file_type == "application/pdf"
    with pytest.raises(ValueError):
        doc.file.url  # noqa: B018 - no public URL exists
    assert "media" not in doc.file.path.split("/")[-3:]
    assert "chi-thi" not in doc.file.name  # random stored name
    url = reverse("programmes:document_file", args=[doc.pk])
    response = specialist_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"
    assert anon_client.get(url).status_code == 302
    assert client_for("bientap").get(url).status_code == 404


def test_docx_is_recognised_by_its_content(specialist):
    doc = _create(specialist, upload=SimpleUploadedFile("ke-hoach.docx", _docx()))
    assert doc.file_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chi-thi.pdf", b"MZ\x90\x00 not a pdf"),
        ("ke-hoach.docx", _docx(with_body=False)),
        ("ke-hoach.docx", PDF),
        ("chi-thi.exe", PDF),
    ],
)
def test_file_whose_content_does_not_match_is_refused_and_nothing_saved(specialist, name, content):
    with pytest.raises(ValidationError) as exc:
        _create(specialist, upload=SimpleUploadedFile(name, content))
    assert "không đúng định dạng" in exc.value.message_dict["upload"][0]
    assert Document.objects.count() == 0


def test_directive_28_is_seen_to_replace_directive_20(specialist, specialist_client):
    ct20 = _create(specialist)
    ct28 = _create(specialist, number="28-CT/TW", issued_on=date(2023, 12, 25))
    services.document_link(
        actor=specialist, source=ct28, target=ct20, kind=DocumentLink.Kind.REPLACES
    )
    page = specialist_client.get(reverse("programmes:document_detail", args=[ct20.pk]))
    text = page.content.decode()
    assert "28-CT/TW" in text and "thay thế" in text
    listing = specialist_client.get(reverse("programmes:document_list")).content.decode()
    assert "Được thay thế bởi 28-CT/TW" in listing


def test_only_the_province_specialist_adds_documents(client_for, specialist_client):
    url = reverse("programmes:document_create")
    assert specialist_client.get(url).status_code == 200
    for username in ("lanhdao", "canbo.a", "doitac"):
        assert client_for(username).get(url).status_code == 403
