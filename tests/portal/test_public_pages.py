import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from treem.portal import services
from treem.portal.models import Vote


def test_public_pages_render(anon_client, article, cfg):
    for url in [
        "/",
        f"/chuyen-muc/{article.category.slug}/",
        "/the/cham-soc-tre-em/",
        "/tim-kiem/?q=cham+soc",
        article.get_absolute_url(),
        "/bao-tin/",
        "/tra-cuu/",
        "/robots.txt",
    ]:
        response = anon_client.get(url)
        assert response.status_code == 200, url


def test_every_public_page_shows_hotline_and_concern_link(anon_client, article, cfg):
    for url in ["/", article.get_absolute_url(), "/tim-kiem/?q=x", "/tra-cuu/"]:
        html = anon_client.get(url).content.decode()
        assert 'href="tel:111"' in html
        assert 'href="/bao-tin/"' in html


def test_drafts_are_not_public(anon_client, make_article):
    draft = make_article("Bản nháp bí mật", publish=False)
    assert anon_client.get(draft.get_absolute_url()).status_code == 404
    assert "Bản nháp bí mật" not in anon_client.get("/").content.decode()
    assert "ban-nhap-bi-mat" not in anon_client.get("/sitemap.xml").content.decode()
    assert "Bản nháp bí mật" not in anon_client.get("/rss.xml").content.decode()


def test_article_has_open_graph_and_news_article_json_ld_without_rating(anon_client, article, cfg):
    html = anon_client.get(article.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert '<meta property="og:type" content="article">' in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert "aggregateRating" not in raw and "AggregateRating" not in raw


def test_feeds_and_sitemap_list_live_articles(anon_client, article):
    assert article.title in anon_client.get("/rss.xml").content.decode()
    atom = anon_client.get("/atom.xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert article.title in atom.content.decode()
    assert article.get_absolute_url() in anon_client.get("/sitemap.xml").content.decode()


def test_pagination(anon_client, make_article, cfg):
    for i in range(12):
        make_article(f"Bài số {i}", tags=())
    first = anon_client.get("/").content.decode()
    second = anon_client.get("/?page=2").content.decode()
    assert first.count('class="article-card"') == 10
    assert second.count('class="article-card"') == 2


@pytest.mark.parametrize("url", ["/", "/chuyen-muc/me-va-be/", "/tim-kiem/?q=bai"])
def test_list_pages_have_bounded_queries(
    url, anon_client, make_article, cfg, django_assert_max_num_queries
):
    for i in range(8):
        make_article(f"Bài {i}", tags=("a", "b"))
    anon_client.get(url)  # warm the navigation cache
    with django_assert_max_num_queries(5):
        assert anon_client.get(url).status_code == 200


def test_article_page_is_cached_with_no_query_and_a_vote_invalidates_it(
    anon_client, article, cfg, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = anon_client.get(url)
    assert first["X-Page-Cache"] == "miss"
    # Served whole from the cache: not one database query, no session.
    with django_assert_num_queries(0):
        response = anon_client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    html = response.content.decode()
    assert 'data-testid="rating-count">0 lượt đánh giá' in html
    services.vote_cast(article=article, stars=4, voter_token="t1", ip_address="203.0.113.9")
    response = anon_client.get(url)
    assert response["X-Page-Cache"] == "miss"
    html = response.content.decode()
    assert 'data-testid="rating-count">1 lượt đánh giá' in html
    assert 'data-testid="rating-average">4,0' in html


def test_signed_in_staff_bypass_the_page_cache(client_for, article, cfg):
    url = article.get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    staff = client_for("bientap")
    response = staff.get(url)
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_query_string_message_and_htmx_bypass_the_page_cache(article, cfg):
    url = article.get_absolute_url()
    Client().get(url)
    assert "X-Page-Cache" not in Client().get(url + "?tra-loi=1")
    reader = Client()
    reader.cookies["messages"] = "x"
    assert "X-Page-Cache" not in reader.get(url)


def test_voided_votes_invalidate_the_cached_page(article, moderator, cfg):
    url = article.get_absolute_url()
    services.vote_cast(article=article, stars=1, voter_token="b1", ip_address="10.0.0.1")
    assert 'data-testid="rating-count">1 lượt' in Client().get(url).content.decode()
    services.votes_void(actor=moderator, votes=Vote.objects.all())
    assert 'data-testid="rating-count">0 lượt' in Client().get(url).content.decode()


def test_article_taken_down_is_not_served_from_the_cache(article, moderator, cfg):
    url = article.get_absolute_url()
    Client().get(url)
    services.article_transition(
        actor=moderator, article=article, kind="unpublish", expected_version=article.version
    )
    assert Client().get(url).status_code == 404


def test_edit_is_visible_at_once_despite_the_cache(anon_client, article, editor, cfg):
    url = article.get_absolute_url()
    anon_client.get(url)
    services.article_update(
        actor=editor,
        article=article,
        expected_version=article.version,
        title=article.title,
        category=article.category,
        excerpt=article.excerpt,
        body="<p>Nội dung đã sửa lại</p>",
    )
    assert "Nội dung đã sửa lại" in anon_client.get(url).content.decode()


def test_fragment_cache_key_depends_on_version(anon_client, article, cfg):
    anon_client.get(article.get_absolute_url())
    keys = [k for k in cache._cache if "portal:article:%s:" % article.pk in k]  # locmem
    assert any(":%s:" % article.version in k for k in keys)


def test_cached_page_carries_no_reader_state(article, cfg):
    """A vote by one reader must not show up as "your vote" for the next reader."""
    first = Client(REMOTE_ADDR="203.0.113.1")
    first.post(article.get_absolute_url() + "danh-gia/", {"stars": 5})
    html = Client(REMOTE_ADDR="203.0.113.2").get(article.get_absolute_url()).content.decode()
    # No vote shown, none carried for the page's script to show (only the empty note it fills
    # from a browser's own memory of its vote).
    assert "<small>Bạn đã chấm" not in html
    assert 'data-my-vote=""' in html and 'aria-pressed="true"' not in html


def test_cached_page_carries_a_working_csrf_token_and_form_timestamp(article, cfg):
    reader = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.3")
    Client().get(article.get_absolute_url())  # another reader fills the cache
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "TREEM" not in html and "rating-slot" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    ts = re.search(r'name="ts" value="([^"]+)"', html).group(1)
    from treem.portal.security import form_age_seconds

    assert form_age_seconds(ts) is not None
    response = reader.post(
        article.get_absolute_url() + "danh-gia/", {"stars": 3, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Vote.objects.filter(article=article).count() == 1


def test_new_approved_comment_shows_on_the_cached_page(article, moderator, cfg):
    from treem.portal.models import Comment

    url = article.get_absolute_url()
    Client().get(url)
    outcome = services.comment_submit(
        article=article,
        name="Bình",
        email="b@example.org",
        body="Một bình luận mới",
        ip_address="203.0.113.4",
        form_age=30,
    )
    assert outcome.status == "held"
    assert "Một bình luận mới" not in Client().get(url).content.decode()
    services.comments_moderate(
        actor=moderator, comments=Comment.objects.filter(pk=outcome.obj.pk), action="approve"
    )
    html = Client().get(url).content.decode()
    assert "Một bình luận mới" in html
    assert 'data-testid="comment-count">1 bình luận' in html


def test_english_catalogue_translates_the_portal(article, cfg):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Rate this post" in html and "Leave a reply" in html
