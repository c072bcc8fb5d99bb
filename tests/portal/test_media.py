"""Cover images (issue 14 item 10, issue 15): served to the public with thumbnails made on
upload; nothing else under MEDIA_ROOT is ever served."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from treem.portal import services


def _jpeg(width=1200, height=800, *, exif_gps=False) -> SimpleUploadedFile:
    buffer = BytesIO()
    image = Image.new("RGB", (width, height), (40, 120, 200))
    exif = Image.Exif()
    if exif_gps:
        exif[0x010E] = "Nhà của bé, số 12 ngõ 3"  # ImageDescription
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("anh-bia.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def covered(make_article):
    return make_article(cover_image=_jpeg(exif_gps=True), cover_alt="Mẹ bế con trong nắng sớm")


def test_cover_and_thumbnails_are_made_on_upload_and_served(covered, anon_client):
    assert (covered.cover_width, covered.cover_height) == (1200, 800)
    assert [t["w"] for t in covered.cover_thumbs] == [320, 640, 960]
    cover = anon_client.get(covered.cover_image.url)
    assert cover.status_code == 200 and cover["Content-Type"] == "image/jpeg"
    data = b"".join(cover.streaming_content)
    # Re-encoded: what the upload carried besides the picture is gone.
    assert "Nhà của bé".encode() not in data
    assert Image.open(BytesIO(data)).size == (1200, 800)
    for thumb in covered.cover_thumbs:
        response = anon_client.get("/media/" + thumb["path"])
        assert response.status_code == 200
        size = Image.open(BytesIO(b"".join(response.streaming_content))).size
        assert size == (thumb["w"], thumb["h"])


def test_article_page_shows_cover_with_size_srcset_and_lazy_cards(covered, anon_client):
    page = anon_client.get(covered.get_absolute_url()).content.decode()
    assert covered.cover_image.url in page
    assert 'width="1200"' in page and 'height="800"' in page
    assert "320w" in page and "960w" in page and "srcset=" in page
    assert 'property="og:image"' in page
    home = anon_client.get("/").content.decode()
    assert covered.cover_thumbs[0]["path"] in home and 'loading="lazy"' in home


def test_private_uploads_are_never_served(covered, media_root, anon_client, client_for):
    private = media_root / "protection" / "evidence" / "2026" / "12" / "bien-ban.pdf"
    private.parent.mkdir(parents=True)
    private.write_bytes(b"%PDF-1.4 bien ban")
    (media_root / "portal" / "covers" / "2026" / "12" / "secret.jpg").write_bytes(b"x")
    for path in [
        "/media/protection/evidence/2026/12/bien-ban.pdf",
        "/media/portal/covers/../../protection/evidence/2026/12/bien-ban.pdf",
        "/media/portal/covers/%2e%2e/%2e%2e/protection/evidence/2026/12/bien-ban.pdf",
        "/media/portal/thumbs/..%2f..%2fprotection/evidence/2026/12/bien-ban.pdf",
        "/media/portal/evidence/2026/12/bien-ban.pdf",
        # A file in the covers folder that is no live article's cover.
        "/media/portal/covers/2026/12/secret.jpg",
    ]:
        for client in (anon_client, client_for("canbo.a")):
            assert client.get(path).status_code == 404, path


def test_cover_of_a_draft_is_not_served(make_article, anon_client):
    draft = make_article(
        "Bản nháp có ảnh", publish=False, cover_image=_jpeg(), cover_alt="Ảnh bản nháp"
    )
    assert Client().get(draft.cover_image.url).status_code == 404
    assert anon_client.get("/media/" + draft.cover_thumbs[0]["path"]).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(make_article):
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        make_article("Ảnh giả", publish=False, cover_image=fake, cover_alt="x")


def test_small_cover_gets_no_upscaled_thumbnails(make_article):
    article = make_article("Ảnh nhỏ", publish=False, cover_image=_jpeg(500, 300), cover_alt="x")
    assert [t["w"] for t in article.cover_thumbs] == [320]
    assert services.COVER_THUMB_WIDTHS[0] == 320
