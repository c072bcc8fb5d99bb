"""The email of a commenter appears nowhere in any public response."""

from django.test import Client

from tests.portal.conftest import comment_data
from treem.portal import services
from treem.portal.models import Comment

SECRET = "lan.secret@example.org"


def _public_urls(article, comment):
    slug = article.slug
    return [
        "/",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?tra-loi={comment.pk}",
        f"/chuyen-muc/{article.category.slug}/",
        "/the/cham-soc-tre-em/",
        "/tim-kiem/?q=lan",
        "/rss.xml",
        "/atom.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/api/portal/articles/",
        f"/api/portal/articles/{slug}/",
        f"/api/portal/articles/{slug}/comments/",
    ]


def _assert_nowhere(client, urls, *needles):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode().lower()
        for needle in needles:
            assert needle.lower() not in body, f"{needle} leaked on {url}"
        for header, value in response.items():
            for needle in needles:
                assert needle.lower() not in value.lower(), f"{needle} in header {header}"


def test_commenter_email_is_in_no_public_response(article, moderator, cfg):
    reader = Client(REMOTE_ADDR="203.0.113.80")
    reader.post(
        article.get_absolute_url() + "binh-luan/",
        comment_data(author_website="https://lan.example.net", notify_replies="on"),
    )
    comment = Comment.objects.get()
    services.comments_moderate(
        actor=moderator, comments=Comment.objects.filter(pk=comment.pk), action="approve"
    )
    # A reply from someone else, published at once after approval of the first.
    cfg.flood_interval_seconds = 0
    cfg.save()
    reader.post(
        article.get_absolute_url() + "binh-luan/",
        comment_data(parent=comment.pk, body="Trả lời công khai"),
    )
    assert Comment.objects.filter(status="approved").count() == 2
    urls = _public_urls(article, comment)
    # The public sees the comment (so the test would notice if comments were not rendered)...
    assert "Bài viết rất hữu ích" in Client().get(article.get_absolute_url()).content.decode()
    # ...but never the email, nor its local part, for anonymous and for the commenter alike.
    _assert_nowhere(Client(), urls, SECRET, "lan.secret")
    _assert_nowhere(reader, urls, SECRET, "lan.secret")


def test_held_comment_email_is_not_shown_either(article, cfg):
    Client(REMOTE_ADDR="203.0.113.81").post(
        article.get_absolute_url() + "binh-luan/", comment_data()
    )
    assert Comment.objects.get().status == "pending"
    _assert_nowhere(Client(), [article.get_absolute_url(), "/rss.xml"], SECRET)


def test_htmx_comment_response_does_not_echo_the_email(article, cfg):
    response = Client(REMOTE_ADDR="203.0.113.82").post(
        article.get_absolute_url() + "binh-luan/", comment_data(), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
