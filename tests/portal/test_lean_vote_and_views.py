"""The htmx vote taken on the lean path (before sessions and authentication, CSRF still checked),
and the article views counted without the database on a cached page."""

import re
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone

from treem.portal import readcount, selectors, services
from treem.portal.models import ArticleEvent, ArticleViews, Comment, PortalSettings, Vote
from treem.programmes.selectors import article_figures as programme_article_figures

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def _reader(address: str = "203.0.113.50") -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)


def _token(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _vote(client: Client, article, stars, token: str):
    return client.post(
        article.get_absolute_url() + "danh-gia/",
        {"csrfmiddlewaretoken": token, "stars": stars},
        HTTP_HX_REQUEST="true",
    )


def test_htmx_vote_is_one_statement_with_no_session_and_renews_the_page(
    article, cfg, django_assert_num_queries
):
    reader = _reader()
    url = article.get_absolute_url()
    token = _token(reader, url)
    assert reader.get(url)["X-Page-Cache"] == "hit"
    # The vote (one INSERT that also finds the article and counts the address's votes) and the
    # figures: two statements, no session, no settings read.
    with django_assert_num_queries(2):
        response = _vote(reader, article, 4, token)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cảm ơn bạn đã đánh giá!" in html
    assert 'data-testid="rating-count">1 lượt đánh giá' in html
    assert 'aria-pressed="true"' in html and "Bạn đã chấm 4 sao" in html
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert response.cookies["treem_voter"]["httponly"]
    assert response["Content-Language"] == "vi"
    # The reader's next page shows the vote at once.
    page = reader.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert 'data-testid="rating-count">1 lượt đánh giá' in page.content.decode()
    # The same reader votes again: their vote changes, one UPDATE.
    with django_assert_num_queries(2):
        html = _vote(reader, article, 2, token).content.decode()
    assert "Đã cập nhật đánh giá của bạn." in html
    assert list(Vote.objects.values_list("stars", flat=True)) == [2]


def test_lean_vote_refuses_a_missing_csrf_token_and_bad_stars_like_the_full_view(article, cfg):
    reader = _reader()
    url = article.get_absolute_url()
    token = _token(reader, url)
    assert _vote(reader, article, 4, "forged" * 8).status_code == 403
    response = _vote(reader, article, 9, token)
    assert response.status_code == 200
    assert "Hãy chọn từ 1 đến 5 sao rồi gửi lại." in response.content.decode()
    assert not Vote.objects.exists()


def test_lean_vote_on_an_article_taken_down_is_404(article, editor, moderator, cfg):
    reader = _reader()
    token = _token(reader, article.get_absolute_url())
    services.article_transition(
        actor=moderator,
        article=article,
        kind=ArticleEvent.Kind.UNPUBLISH,
        expected_version=article.version,
    )
    assert _vote(reader, article, 4, token).status_code == 404
    assert not Vote.objects.exists()


def test_hourly_limit_of_an_address_counts_in_the_statement_and_a_revote_is_never_refused(
    make_article, cfg
):
    PortalSettings.objects.filter(pk=1).update(votes_per_hour=2)
    articles = [make_article(f"Bài số {i}") for i in range(3)]
    services.vote_cast(article=articles[0], stars=4, voter_token="a", ip_address="198.51.100.7")
    services.vote_cast(article=articles[1], stars=4, voter_token="b", ip_address="198.51.100.7")
    reader = _reader("198.51.100.7")
    token = _token(reader, articles[2].get_absolute_url())
    html = _vote(reader, articles[2], 5, token).content.decode()
    assert "Bạn đã đánh giá nhiều bài trong một giờ qua" in html
    assert Vote.objects.count() == 2
    # Changing one's own vote is not a new vote: allowed over the limit.
    result = services.vote_cast(
        article=articles[0], stars=1, voter_token="a", ip_address="198.51.100.7"
    )
    assert result.created is False and Vote.objects.get(voter_token="a").stars == 1


def test_views_count_cached_reads_once_per_reader_and_not_robots_or_staff(
    article, cfg, client_for, django_assert_num_queries
):
    url = article.get_absolute_url()
    one = _reader("203.0.113.1")
    assert one.get(url)["X-Page-Cache"] == "miss"
    # A cached read is still counted, with no query.
    two = _reader("203.0.113.2")
    with django_assert_num_queries(0):
        assert two.get(url)["X-Page-Cache"] == "hit"
    # Refreshing is not reading again; robots and staff are not the public.
    one.get(url)
    two.get(url)
    Client(REMOTE_ADDR="203.0.113.3").get(url)  # no User-Agent
    Client(REMOTE_ADDR="203.0.113.4", HTTP_USER_AGENT="Googlebot/2.1").get(url)
    Client(REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="Mozilla/5.0 HeadlessChrome/131").get(url)
    client_for("bientap").get(url)
    # A slug that does not exist counts nothing.
    assert _reader("203.0.113.6").get("/bai-viet/khong-co-bai-nay/").status_code == 404
    assert selectors.article_views(article_ids=[article.pk]) == {article.pk: 2}

    # Flushed to the database: the figure stays the same, and a later read adds to it.
    assert readcount.flush() == 2
    assert ArticleViews.objects.get(article=article).count == 2
    assert selectors.article_views(article_ids=[article.pk]) == {article.pk: 2}
    _reader("203.0.113.7").get(url)
    assert selectors.article_views(article_ids=[article.pk]) == {article.pk: 3}
    assert readcount.flush() == 1
    assert readcount.flush() == 0
    assert ArticleViews.objects.get(article=article).count == 3

    # Shown to staff on the article list, and given to the programmes app.
    html = client_for("bientap").get("/quan-tri/bai-viet/").content.decode()
    assert 'data-testid="views">3<' in html
    assert programme_article_figures([article.pk])[article.pk]["views"] == 3


def test_a_vote_of_its_own_commits_asynchronously_on_postgresql_and_nothing_else_does(article, cfg):
    """PostgreSQL's asynchronous commit for the vote's own statement only: set_config(..., true)
    lasts until its transaction ends, and a vote inside a caller's transaction keeps that
    transaction's setting. The mechanism is checked on a connection of its own, in autocommit
    as a request's connection is (outside the test's transaction, writing nothing)."""
    from django.db import connection, connections, transaction
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "postgresql":
        own = connections.create_connection("default")
        try:
            assert services._vote_statements(own) == (
                services._VOTE_UPDATE_ASYNC,
                services._VOTE_INSERT_ASYNC,
            )
            with own.cursor() as cursor:
                cursor.execute(
                    services._ASYNC + "SELECT current_setting('synchronous_commit') FROM _async"
                )
                inside = cursor.fetchone()[0]
                cursor.execute("SHOW synchronous_commit")
                after = cursor.fetchone()[0]
        finally:
            own.close()
        assert (inside, after) == ("off", "on")
        # The asynchronous statements are the plain ones plus the setting: they write the vote,
        # and return the figures with it counted, as a query afterwards reads them.
        at = connection.ops.adapt_datetimefield_value(timezone.now())
        since = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(hours=1))
        for stars, token in ((5, "t-other-1"), (3, "t-other-2")):
            services.vote_cast_by_slug(
                slug=article.slug, stars=stars, voter_token=token, ip_address="203.0.113.20"
            )
        approved = Comment.Status.APPROVED.value
        tail = [approved, "t-async"]  # the figures' parameters: comment status, voter token
        with connection.cursor() as cursor:
            cursor.execute(
                services._VOTE_INSERT_ASYNC,
                [4, "t-async", "ip", at, at, article.slug, at, at, "ip", since, 10, *tail],
            )
            row = cursor.fetchone()
            assert row is not None and row[2] is True  # created
            after_insert = selectors.article_figures(article=article)
            assert services._figures_with(row, 4) == after_insert
            assert (after_insert.votes, after_insert.average) == (3, 4.0)
            # The same reader changes their vote: theirs is replaced, not added.
            cursor.execute(
                services._VOTE_UPDATE_ASYNC,
                [2, at, article.slug, at, at, "t-async", approved, "t-async"],
            )
            row = cursor.fetchone()
            assert row is not None
            after_update = selectors.article_figures(article=article)
            assert services._figures_with(row, 2) == after_update
            assert (after_update.votes, after_update.average) == (3, 10 / 3)
        assert Vote.objects.get(voter_token="t-async").stars == 2
    else:
        assert services._vote_statements(connection) == (
            services._VOTE_UPDATE,
            services._VOTE_INSERT,
        )
    # Inside a caller's transaction (the test's own, here): the plain statements.
    with transaction.atomic(), CaptureQueriesContext(connection) as inside_queries:
        services.vote_cast_by_slug(
            slug=article.slug, stars=3, voter_token="t-inside", ip_address="203.0.113.10"
        )
    assert not any("synchronous_commit" in q["sql"] for q in inside_queries.captured_queries)
    assert Vote.objects.get(voter_token="t-inside").stars == 3


def test_the_rating_row_is_the_live_votes_aggregate_whatever_writes_them(article, moderator):
    """The figures' row is kept by the database's triggers: a first vote, a changed vote, votes
    written in bulk, a voided vote and a deleted one all leave it equal to the live rows' sum."""
    from django.db.models import Count, Sum

    from treem.portal.models import ArticleRating

    def kept():
        row = ArticleRating.objects.filter(article=article).first()
        return (row.votes, row.stars_total) if row else (0, 0)

    def summed():
        agg = Vote.objects.filter(article=article, voided_at__isnull=True).aggregate(
            n=Count("id"), s=Sum("stars")
        )
        return agg["n"], agg["s"] or 0

    services.vote_cast_by_slug(
        slug=article.slug, stars=5, voter_token="t-1", ip_address="203.0.113.30"
    )
    services.vote_cast_by_slug(
        slug=article.slug, stars=2, voter_token="t-2", ip_address="203.0.113.31"
    )
    assert kept() == summed() == (2, 7)
    services.vote_cast_by_slug(  # the first reader changes their mind
        slug=article.slug, stars=3, voter_token="t-1", ip_address="203.0.113.30"
    )
    assert kept() == summed() == (2, 5)
    Vote.objects.bulk_create(
        [Vote(article=article, stars=4, voter_token=f"b-{i}", ip_hash="x") for i in range(3)]
    )
    assert kept() == summed() == (5, 17)
    services.votes_void(actor=moderator, votes=Vote.objects.filter(voter_token="b-0"))
    assert kept() == summed() == (4, 13)
    Vote.objects.filter(voter_token="t-2").delete()
    assert kept() == summed() == (3, 11)
    figures = selectors.article_figures(article=article)
    assert (figures.votes, figures.average) == (3, 11 / 3)
